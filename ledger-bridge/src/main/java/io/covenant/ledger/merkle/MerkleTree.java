package io.covenant.ledger.merkle;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An append-only Merkle tree exactly as RFC 9162 section 2.1 defines it (Certificate Transparency v2):
 *
 * <pre>
 *   MTH({})      = SHA-256()
 *   MTH({d(0)})  = SHA-256(0x00 || d(0))                               leaf hash, section 2.1.1
 *   MTH(D[n])    = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))         k = largest power of two &lt; n
 * </pre>
 *
 * <p>Under the national crypto suite the same construction runs with SM3 in place of SHA-256 ({@link #MerkleTree(CryptoSuite)}).
 *
 * <p>Inclusion proofs are PATH(m, D[n]) (section 2.1.3.1) and consistency proofs PROOF(m, D[n]) = SUBPROOF(m, D[n],
 * true) (section 2.1.4.1); they verify with {@link MerkleProofs}. The tree stores every complete subtree hash
 * (about two hashes per leaf), so the root or a proof for any earlier size costs O(log^2 n) hashes and no leaf is
 * ever re-read. Thread-safe: one appender at a time, any number of concurrent readers.
 */
public final class MerkleTree {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  /** levels.get(h) holds the hashes of the complete subtrees of height h, left to right. */
  private final List<HashArray> levels = new ArrayList<>();
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private long size;
  private final CryptoSuite suite;

  /** A tree hashed with SHA-256 (the international suite). */
  public MerkleTree() {
    this(CryptoSuite.INTL);
  }

  /** A tree hashed with {@code suite}'s hash: SHA-256, or SM3 under the national suite (RFC 9162 leaves the hash open). */
  public MerkleTree(CryptoSuite suite) {
    if (suite == null) throw new MalformedInputException("a Merkle tree needs a crypto suite");
    this.suite = suite;
    levels.add(new HashArray());
  }

  /** A tree over the given leaf hashes, in order. */
  public static MerkleTree of(List<Digest> leafHashes) {
    return of(CryptoSuite.INTL, leafHashes);
  }

  public static MerkleTree of(CryptoSuite suite, List<Digest> leafHashes) {
    MerkleTree t = new MerkleTree(suite);
    for (Digest d : leafHashes) t.append(d);
    return t;
  }

  public CryptoSuite suite() {
    return suite;
  }

  /** RFC 9162 section 2.1.1: the hash of a leaf holding {@code leafBytes} is SHA-256(0x00 || leafBytes). */
  public static Digest leafHash(byte[] leafBytes) {
    return leafHash(CryptoSuite.INTL, leafBytes);
  }

  /** RFC 9162 section 2.1.1 with {@code suite}'s hash H: H(0x00 || leafBytes). */
  public static Digest leafHash(CryptoSuite suite, byte[] leafBytes) {
    MessageDigest md = suite.newHash();
    md.update(LEAF_PREFIX);
    md.update(leafBytes);
    return Digest.of(md.digest());
  }

  /** RFC 9162 section 2.1.1: an interior node is SHA-256(0x01 || left || right). */
  public static Digest nodeHash(Digest left, Digest right) {
    return Digest.of(node(CryptoSuite.INTL, left.bytes(), right.bytes()));
  }

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static Digest emptyRoot() {
    return emptyRoot(CryptoSuite.INTL);
  }

  /** The root of the empty tree: {@code suite}'s hash of the empty string. */
  public static Digest emptyRoot(CryptoSuite suite) {
    return Digest.of(suite.newHash().digest());
  }

  static byte[] node(CryptoSuite suite, byte[] left, byte[] right) {
    MessageDigest md = suite.newHash();
    md.update(NODE_PREFIX);
    md.update(left);
    md.update(right);
    return md.digest();
  }

  /** Appends the next leaf, given as its leaf hash. */
  public void append(Digest leafHash) {
    byte[] h = leafHash.bytes();
    lock.writeLock().lock();
    try {
      levels.get(0).add(h);
      // Each time a level gains an even count, its last two nodes complete a parent one level up.
      MessageDigest md = suite.newHash();
      for (int level = 0; levels.get(level).size() % 2 == 0; level++) {
        HashArray row = levels.get(level);
        long n = row.size();
        md.update(NODE_PREFIX);
        row.feed(n - 2, md);
        row.feed(n - 1, md);
        if (levels.size() == level + 1) levels.add(new HashArray());
        levels.get(level + 1).add(md.digest());
      }
      size++;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public long size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The leaf hash at {@code index}. */
  public Digest leaf(long index) {
    lock.readLock().lock();
    try {
      if (index < 0 || index >= size) throw new MalformedInputException("leaf " + index + " is outside the tree of " + size + " leaves");
      return Digest.of(levels.get(0).get(index));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** MTH of all leaves appended so far. */
  public Digest root() {
    lock.readLock().lock();
    try {
      return rootLocked(size);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * MTH(D[0:size] ++ more): the root this tree would have after appending {@code more}, without appending them. It
   * starts from the complete subtrees along the tree's right edge (one per set bit of its size, O(log n) hashes) and
   * merges the new leaves into them as {@link #append} would, so a mirror can check a signed root over the entries it
   * holds plus new ones in O(k + log n) hashes instead of rebuilding a copy of all n leaves.
   */
  public Digest rootWithAppended(List<Digest> more) {
    lock.readLock().lock();
    try {
      // The right edge as a stack of (height, hash), largest subtree first, as the binary decomposition of size.
      List<Integer> heights = new ArrayList<>();
      List<byte[]> hashes = new ArrayList<>();
      long offset = 0;
      for (int h = 63 - Long.numberOfLeadingZeros(Math.max(size, 1)); h >= 0; h--) {
        if ((size >>> h & 1) == 1) {
          heights.add(h);
          hashes.add(levels.get(h).get(offset >>> h));
          offset += 1L << h;
        }
      }
      for (Digest leaf : more) {
        heights.add(0);
        hashes.add(leaf.bytes());
        // Two neighbouring subtrees of equal height complete their parent, as in append.
        while (heights.size() >= 2 && heights.get(heights.size() - 1).equals(heights.get(heights.size() - 2))) {
          int last = heights.size() - 1;
          byte[] parent = node(suite, hashes.get(last - 1), hashes.get(last));
          int h = heights.get(last);
          heights.remove(last);
          hashes.remove(last);
          heights.set(last - 1, h + 1);
          hashes.set(last - 1, parent);
        }
      }
      if (hashes.isEmpty()) return emptyRoot(suite);
      // RFC 9162: MTH(D[n]) = H(left complete subtree, MTH(rest)), so the right edge folds from its smallest subtree up.
      byte[] root = hashes.get(hashes.size() - 1);
      for (int i = hashes.size() - 2; i >= 0; i--) root = node(suite, hashes.get(i), root);
      return Digest.of(root);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** MTH(D[0:treeSize]): the root the tree had when it held {@code treeSize} leaves. */
  public Digest root(long treeSize) {
    lock.readLock().lock();
    try {
      requireSize(treeSize);
      return rootLocked(treeSize);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** PATH(index, D[0:treeSize]), RFC 9162 section 2.1.3.1: sibling hashes from the leaf up to the root. */
  public List<Digest> inclusionPath(long index, long treeSize) {
    lock.readLock().lock();
    try {
      requireSize(treeSize);
      if (index < 0 || index >= treeSize) {
        throw new MalformedInputException("entry " + index + " is not in a tree of " + treeSize + " entries: an inclusion proof needs 0 <= index < tree size");
      }
      List<Digest> out = new ArrayList<>();
      path(index, 0, treeSize, out);
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** PROOF(oldSize, D[0:newSize]), RFC 9162 section 2.1.4.1; empty when oldSize is 0 or equals newSize. */
  public List<Digest> consistencyPath(long oldSize, long newSize) {
    lock.readLock().lock();
    try {
      requireSize(newSize);
      if (oldSize < 0 || oldSize > newSize) {
        throw new MalformedInputException("cannot prove a tree of " + oldSize + " entries consistent with one of " + newSize + ": the old size must be between 0 and the new size");
      }
      List<Digest> out = new ArrayList<>();
      if (oldSize > 0 && oldSize < newSize) subproof(oldSize, 0, newSize, true, out);
      return List.copyOf(out);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void requireSize(long treeSize) {
    if (treeSize < 0 || treeSize > size) {
      throw new MalformedInputException("tree size " + treeSize + " is not available: the tree holds " + size + " leaves");
    }
  }

  private Digest rootLocked(long treeSize) {
    return treeSize == 0 ? emptyRoot(suite) : Digest.of(subtree(0, treeSize));
  }

  /** PATH(m, D[start:start+n]) appended to out, deepest sibling first. */
  private void path(long m, long start, long n, List<Digest> out) {
    if (n == 1) return;
    long k = split(n);
    if (m < k) {
      path(m, start, k, out);
      out.add(Digest.of(subtree(start + k, n - k)));
    } else {
      path(m - k, start + k, n - k, out);
      out.add(Digest.of(subtree(start, k)));
    }
  }

  /** SUBPROOF(m, D[start:start+n], b) appended to out. */
  private void subproof(long m, long start, long n, boolean b, List<Digest> out) {
    if (m == n) {
      if (!b) out.add(Digest.of(subtree(start, n)));
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, start, k, b, out);
      out.add(Digest.of(subtree(start + k, n - k)));
    } else {
      subproof(m - k, start + k, n - k, false, out);
      out.add(Digest.of(subtree(start, k)));
    }
  }

  /**
   * MTH(D[start:start+n]). Every range the RFC recursions ask for starts at a multiple of its largest power-of-two
   * part, so a power-of-two range is one stored node and any other range splits into stored nodes.
   */
  private byte[] subtree(long start, long n) {
    if (Long.bitCount(n) == 1) {
      int height = Long.numberOfTrailingZeros(n);
      if (start % n != 0) throw new IllegalStateException("unaligned subtree [" + start + ", " + (start + n) + ")");
      return levels.get(height).get(start >>> height);
    }
    long k = split(n);
    return node(suite, subtree(start, k), subtree(start + k, n - k));
  }

  /** The largest power of two strictly less than n (n >= 2). */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }
}
