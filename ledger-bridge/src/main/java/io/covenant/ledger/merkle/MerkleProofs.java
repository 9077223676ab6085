package io.covenant.ledger.merkle;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Proof verification exactly as RFC 9162 specifies it: inclusion (section 2.1.3.2) and consistency (section
 * 2.1.4.2). Needs nothing but the proof and the roots, so an auditor can check a log it does not run. Every method
 * returns false rather than throwing on a malformed proof.
 */
public final class MerkleProofs {
  private MerkleProofs() {}

  /** RFC 9162 section 2.1.3.2: does {@code leafHash} sit at {@code index} of the tree of {@code treeSize} leaves with root {@code root}? */
  public static boolean verifyInclusion(long index, long treeSize, Digest leafHash, List<Digest> path, Digest root) {
    return verifyInclusion(CryptoSuite.INTL, index, treeSize, leafHash, path, root);
  }

  /** As {@link #verifyInclusion(long, long, Digest, List, Digest)} for a tree hashed with {@code suite}'s hash. */
  public static boolean verifyInclusion(CryptoSuite suite, long index, long treeSize, Digest leafHash, List<Digest> path, Digest root) {
    if (leafHash == null || path == null || root == null || index < 0 || index >= treeSize) return false;
    long fn = index;
    long sn = treeSize - 1;
    byte[] r = leafHash.bytes();
    for (Digest p : path) {
      if (p == null || sn == 0) return false;
      if ((fn & 1) == 1 || fn == sn) {
        r = MerkleTree.node(suite, p.bytes(), r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        r = MerkleTree.node(suite, r, p.bytes());
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root.bytes());
  }

  /**
   * RFC 9162 section 2.1.4.2: is the tree of {@code oldSize} leaves with root {@code oldRoot} a prefix of the tree of
   * {@code newSize} leaves with root {@code newRoot}? Equal sizes need an empty proof and equal roots; the empty tree
   * (whose root is SHA-256 of nothing) is a prefix of every tree.
   */
  public static boolean verifyConsistency(long oldSize, long newSize, Digest oldRoot, Digest newRoot, List<Digest> path) {
    return verifyConsistency(CryptoSuite.INTL, oldSize, newSize, oldRoot, newRoot, path);
  }

  /** As {@link #verifyConsistency(long, long, Digest, Digest, List)} for a tree hashed with {@code suite}'s hash. */
  public static boolean verifyConsistency(CryptoSuite suite, long oldSize, long newSize, Digest oldRoot, Digest newRoot, List<Digest> path) {
    if (oldRoot == null || newRoot == null || path == null || oldSize < 0 || oldSize > newSize) return false;
    if (oldSize == newSize) return path.isEmpty() && oldRoot.equals(newRoot);
    if (oldSize == 0) return path.isEmpty() && oldRoot.equals(MerkleTree.emptyRoot(suite));
    if (path.isEmpty()) return false;
    List<Digest> proof = new ArrayList<>(path.size() + 1);
    if (Long.bitCount(oldSize) == 1) proof.add(oldRoot);
    proof.addAll(path);
    if (proof.contains(null)) return false;
    long fn = oldSize - 1;
    long sn = newSize - 1;
    while ((fn & 1) == 1) {
      fn >>>= 1;
      sn >>>= 1;
    }
    byte[] fr = proof.get(0).bytes();
    byte[] sr = fr;
    for (Digest c : proof.subList(1, proof.size())) {
      if (sn == 0) return false;
      byte[] cb = c.bytes();
      if ((fn & 1) == 1 || fn == sn) {
        fr = MerkleTree.node(suite, cb, fr);
        sr = MerkleTree.node(suite, cb, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>>= 1;
          sn >>>= 1;
        }
      } else {
        sr = MerkleTree.node(suite, sr, cb);
      }
      fn >>>= 1;
      sn >>>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, oldRoot.bytes()) && MessageDigest.isEqual(sr, newRoot.bytes());
  }
}
