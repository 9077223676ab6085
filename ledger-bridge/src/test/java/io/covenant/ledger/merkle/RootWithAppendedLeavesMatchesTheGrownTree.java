package io.covenant.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.core.crypto.Digest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link MerkleTree#rootWithAppended} (the root a mirror checks a signed checkpoint against, computed from the tree's
 * right edge) is exactly RFC 9162's MTH of the held leaves followed by the new ones, for every shape of tree, and leaves
 * the tree itself untouched.
 */
class RootWithAppendedLeavesMatchesTheGrownTree {
  private static byte[] data(int i) {
    return ("entry " + i).getBytes();
  }

  @Test
  void everyHeldSizeAndEveryNumberOfNewLeavesGiveTheRecursiveDefinitionsRoot() {
    for (int held = 0; held <= 70; held++) {
      List<byte[]> all = new ArrayList<>();
      MerkleTree tree = new MerkleTree();
      for (int i = 0; i < held; i++) {
        all.add(data(i));
        tree.append(MerkleTree.leafHash(data(i)));
      }
      Digest before = tree.root();
      List<Digest> more = new ArrayList<>();
      for (int k = 0; k <= 20; k++) {
        assertArrayEquals(Rfc9162Reference.mth(all), tree.rootWithAppended(more).bytes(), held + " held leaves and " + k + " new ones");
        all.add(data(held + k));
        more.add(MerkleTree.leafHash(data(held + k)));
      }
      assertEquals(held, tree.size(), "computing the root must not append");
      assertEquals(before, tree.root());
    }
  }

  @Test
  void theCertificateTransparencyVectorsComeOutWhateverTheSplitBetweenHeldAndNew() {
    List<byte[]> leaves = MerkleRootMatchesRfc9162Definition.CT_LEAVES;
    for (int held = 0; held <= leaves.size(); held++) {
      MerkleTree tree = MerkleRootMatchesRfc9162Definition.treeOf(leaves.subList(0, held));
      List<Digest> more = leaves.subList(held, leaves.size()).stream().map(MerkleTree::leafHash).toList();
      assertEquals(MerkleRootMatchesRfc9162Definition.CT_ROOTS.get(leaves.size()), tree.rootWithAppended(more).hex(), held + " held");
    }
  }

  @Test
  void aReorderedOrAlteredNewLeafGivesAnotherRoot() {
    MerkleTree tree = MerkleRootMatchesRfc9162Definition.treeOf(List.of(data(0), data(1), data(2)));
    Digest a = MerkleTree.leafHash(data(3));
    Digest b = MerkleTree.leafHash(data(4));
    assertNotEquals(tree.rootWithAppended(List.of(a, b)), tree.rootWithAppended(List.of(b, a)));
    assertNotEquals(tree.rootWithAppended(List.of(a, b)), tree.rootWithAppended(List.of(a, MerkleTree.leafHash(data(5)))));
  }
}
