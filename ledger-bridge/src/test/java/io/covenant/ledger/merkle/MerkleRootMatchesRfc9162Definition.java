package io.covenant.ledger.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleRootMatchesRfc9162Definition {
  private static final HexFormat HEX = HexFormat.of();

  /** The Certificate Transparency reference leaves (RFC 6962 / RFC 9162 hashing is identical). */
  static final List<byte[]> CT_LEAVES = List.of(
      HEX.parseHex(""), HEX.parseHex("00"), HEX.parseHex("10"), HEX.parseHex("2021"), HEX.parseHex("3031"),
      HEX.parseHex("40414243"), HEX.parseHex("5051525354555657"), HEX.parseHex("606162636465666768696a6b6c6d6e6f"));

  /** Published root for each tree size 0..8 over {@link #CT_LEAVES}. */
  static final List<String> CT_ROOTS = List.of(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static MerkleTree treeOf(List<byte[]> data) {
    MerkleTree t = new MerkleTree();
    for (byte[] d : data) t.append(MerkleTree.leafHash(d));
    return t;
  }

  @Test
  void rootsMatchThePublishedCertificateTransparencyVectors() {
    MerkleTree t = treeOf(CT_LEAVES);
    for (int n = 0; n <= CT_LEAVES.size(); n++) {
      assertEquals(CT_ROOTS.get(n), t.root(n).hex(), "root of the first " + n + " reference leaves");
    }
    assertEquals(CT_ROOTS.get(0), MerkleTree.emptyRoot().hex());
    assertEquals(CT_ROOTS.get(8), t.root().hex());
  }

  @Test
  void rootsMatchTheRecursiveDefinitionForEverySizeUpTo300() {
    List<byte[]> data = new ArrayList<>();
    MerkleTree t = new MerkleTree();
    for (int n = 0; n <= 300; n++) {
      assertArrayEquals(Rfc9162Reference.mth(data), t.root().bytes(), "size " + n);
      byte[] leaf = ("leaf " + n).getBytes();
      data.add(leaf);
      t.append(MerkleTree.leafHash(leaf));
    }
    // Every earlier size is still answerable after the tree grew.
    for (int n = 0; n <= 300; n += 7) assertArrayEquals(Rfc9162Reference.mth(data.subList(0, n)), t.root(n).bytes(), "historic size " + n);
  }

  @Test
  void leafAndNodeHashesAreDomainSeparated() {
    byte[] x = HEX.parseHex("0102");
    assertArrayEquals(Rfc9162Reference.sha((byte) 0, x), MerkleTree.leafHash(x).bytes());
    Digest l = MerkleTree.leafHash(new byte[] {1});
    Digest r = MerkleTree.leafHash(new byte[] {2});
    assertArrayEquals(Rfc9162Reference.sha((byte) 1, l.bytes(), r.bytes()), MerkleTree.nodeHash(l, r).bytes());
    // A leaf whose data is two concatenated hashes must not hash like the node over them (second-preimage defence).
    byte[] both = new byte[64];
    System.arraycopy(l.bytes(), 0, both, 0, 32);
    System.arraycopy(r.bytes(), 0, both, 32, 32);
    assertEquals(false, MerkleTree.leafHash(both).equals(MerkleTree.nodeHash(l, r)));
  }

  @Test
  void sizesBeyondTheTreeAreRefused() {
    MerkleTree t = treeOf(CT_LEAVES);
    assertThrows(MalformedInputException.class, () -> t.root(9));
    assertThrows(MalformedInputException.class, () -> t.inclusionPath(8, 8));
    assertThrows(MalformedInputException.class, () -> t.consistencyPath(5, 3));
  }
}
