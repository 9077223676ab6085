package io.covenant.ledger.merkle;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * An append-only array of 32-byte hashes in fixed-size chunks: no per-hash object, and growing never copies the
 * hashes already stored, so a tree of millions of leaves costs about 64 bytes per leaf.
 */
final class HashArray {
  static final int HASH = 32;
  private static final int SHIFT = 12;
  private static final int PER_CHUNK = 1 << SHIFT;
  private static final int MASK = PER_CHUNK - 1;

  private byte[][] chunks = new byte[8][];
  private long size;

  long size() {
    return size;
  }

  void add(byte[] hash) {
    int chunk = (int) (size >>> SHIFT);
    if (chunk == chunks.length) chunks = Arrays.copyOf(chunks, chunks.length * 2);
    if (chunks[chunk] == null) chunks[chunk] = new byte[PER_CHUNK * HASH];
    System.arraycopy(hash, 0, chunks[chunk], (int) (size & MASK) * HASH, HASH);
    size++;
  }

  byte[] get(long i) {
    byte[] out = new byte[HASH];
    System.arraycopy(chunks[(int) (i >>> SHIFT)], (int) (i & MASK) * HASH, out, 0, HASH);
    return out;
  }

  void feed(long i, MessageDigest md) {
    md.update(chunks[(int) (i >>> SHIFT)], (int) (i & MASK) * HASH, HASH);
  }
}
