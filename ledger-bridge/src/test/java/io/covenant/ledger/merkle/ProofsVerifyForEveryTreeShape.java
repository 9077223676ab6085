package io.covenant.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProofsVerifyForEveryTreeShape {
  private static final int N = 64;

  private final List<byte[]> data = new ArrayList<>();
  private final MerkleTree tree = new MerkleTree();
  private final List<Digest> roots = new ArrayList<>();

  ProofsVerifyForEveryTreeShape() {
    roots.add(tree.root());
    for (int i = 0; i < N; i++) {
      byte[] d = ("entry " + i).getBytes();
      data.add(d);
      tree.append(MerkleTree.leafHash(d));
      roots.add(tree.root());
    }
  }

  private static List<String> hex(List<?> hashes) {
    return hashes.stream().map(h -> h instanceof byte[] b ? HexFormat.of().formatHex(b) : ((Digest) h).hex()).toList();
  }

  @Test
  void publishedInclusionAndConsistencyVectorsAreReproduced() {
    MerkleTree ct = MerkleRootMatchesRfc9162Definition.treeOf(MerkleRootMatchesRfc9162Definition.CT_LEAVES);
    assertEquals(List.of(
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(ct.inclusionPath(0, 8)));
    assertEquals(List.of(
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(ct.inclusionPath(5, 8)));
    assertEquals(List.of(
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(ct.consistencyPath(2, 8)));
    assertEquals(List.of(
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(ct.consistencyPath(6, 8)));
  }

  @Test
  void everyInclusionProofMatchesTheDefinitionAndVerifies() {
    for (int n = 1; n <= N; n++) {
      for (int m = 0; m < n; m++) {
        List<Digest> path = tree.inclusionPath(m, n);
        assertEquals(hex(Rfc9162Reference.path(m, data.subList(0, n))), hex(path), "PATH(" + m + ", D[" + n + "])");
        assertTrue(MerkleProofs.verifyInclusion(m, n, tree.leaf(m), path, roots.get(n)), "inclusion of " + m + " in " + n);
      }
    }
  }

  @Test
  void everyConsistencyProofMatchesTheDefinitionAndVerifies() {
    for (int n = 0; n <= N; n++) {
      for (int m = 0; m <= n; m++) {
        List<Digest> path = tree.consistencyPath(m, n);
        if (m > 0 && m < n) assertEquals(hex(Rfc9162Reference.proof(m, data.subList(0, n))), hex(path), "PROOF(" + m + ", D[" + n + "])");
        else assertTrue(path.isEmpty());
        assertTrue(MerkleProofs.verifyConsistency(m, n, roots.get(m), roots.get(n), path), "consistency " + m + " -> " + n);
      }
    }
  }

  @Test
  void anAlteredInclusionProofOrLeafFails() {
    for (int n = 1; n <= N; n++) {
      for (int m = 0; m < n; m++) {
        List<Digest> path = tree.inclusionPath(m, n);
        Digest leaf = tree.leaf(m);
        Digest root = roots.get(n);
        assertFalse(MerkleProofs.verifyInclusion(m, n, MerkleTree.leafHash(("other " + m).getBytes()), path, root), "wrong leaf");
        if (n > 1) assertFalse(MerkleProofs.verifyInclusion(m, n, tree.leaf((m + 1) % n), path, root), "neighbour's leaf");
        for (int i = 0; i < path.size(); i++) {
          List<Digest> bad = new ArrayList<>(path);
          bad.set(i, flip(path.get(i)));
          assertFalse(MerkleProofs.verifyInclusion(m, n, leaf, bad, root), "flipped element " + i + " of PATH(" + m + ", " + n + ")");
        }
        if (!path.isEmpty()) assertFalse(MerkleProofs.verifyInclusion(m, n, leaf, path.subList(0, path.size() - 1), root), "truncated");
        List<Digest> longer = new ArrayList<>(path);
        longer.add(leaf);
        assertFalse(MerkleProofs.verifyInclusion(m, n, leaf, longer, root), "extended");
        assertFalse(MerkleProofs.verifyInclusion(m, n, leaf, path, roots.get(n - 1)), "root of another size");
        if (n > 1 && !tree.inclusionPath(m, n).equals(tree.inclusionPath((m + 1) % n, n))) {
          assertFalse(MerkleProofs.verifyInclusion((m + 1) % n, n, leaf, path, root), "wrong index");
        }
        assertFalse(MerkleProofs.verifyInclusion(n, n, leaf, path, root), "index equal to size");
        // The path hashes up to this root; a claimed size whose paths have another length must still be refused (the
        // RFC's final sn == 0 check). Equal lengths cannot be told apart: binding size to root is the checkpoint's job.
        if (n + 1 <= N && tree.inclusionPath(m, n + 1).size() != path.size()) {
          assertFalse(MerkleProofs.verifyInclusion(m, n + 1, leaf, path, root), "PATH(" + m + ", " + n + ") passed off as a tree of " + (n + 1));
        }
      }
    }
  }

  @Test
  void anAlteredConsistencyProofOrRootFails() {
    for (int n = 2; n <= N; n++) {
      for (int m = 1; m < n; m++) {
        List<Digest> path = tree.consistencyPath(m, n);
        Digest oldRoot = roots.get(m);
        Digest newRoot = roots.get(n);
        for (int i = 0; i < path.size(); i++) {
          List<Digest> bad = new ArrayList<>(path);
          bad.set(i, flip(path.get(i)));
          assertFalse(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, bad), "flipped element " + i + " of PROOF(" + m + ", " + n + ")");
        }
        assertFalse(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, path.subList(0, path.size() - 1)), "truncated " + m + " -> " + n);
        List<Digest> longer = new ArrayList<>(path);
        longer.add(oldRoot);
        assertFalse(MerkleProofs.verifyConsistency(m, n, oldRoot, newRoot, longer), "extended " + m + " -> " + n);
        assertFalse(MerkleProofs.verifyConsistency(m, n, flip(oldRoot), newRoot, path), "forged old root " + m + " -> " + n);
        assertFalse(MerkleProofs.verifyConsistency(m, n, oldRoot, flip(newRoot), path), "forged new root " + m + " -> " + n);
        assertFalse(MerkleProofs.verifyConsistency(n, m, newRoot, oldRoot, path), "sizes swapped");
        if (n + 1 <= N && tree.consistencyPath(m, n + 1).size() != path.size()) {
          assertFalse(MerkleProofs.verifyConsistency(m, n + 1, oldRoot, newRoot, path), "PROOF(" + m + ", " + n + ") passed off as a tree of " + (n + 1));
        }
      }
    }
    assertFalse(MerkleProofs.verifyConsistency(4, 4, roots.get(4), roots.get(5), List.of()));
    assertFalse(MerkleProofs.verifyConsistency(4, 4, roots.get(4), roots.get(4), List.of(roots.get(1))));
    assertFalse(MerkleProofs.verifyConsistency(0, 8, roots.get(1), roots.get(8), List.of()));
  }

  private static Digest flip(Digest d) {
    byte[] b = d.bytes();
    b[7] ^= 0x01;
    return Digest.of(b);
  }
}
