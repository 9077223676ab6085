package io.covenant.mpc.psi;

/**
 * An open-addressing hash index from 128-bit values (two {@code long}s, e.g. an id digest or a truncated PRF tag) to
 * the position they were added at. Primitive arrays only, so millions of entries cost 20 bytes each, not an object each.
 * Not thread-safe.
 */
final class DigestIndex {
  private long[] hi;
  private long[] lo;
  private int[] value; // position + 1; 0 marks an empty slot
  private int size;
  private int mask;

  DigestIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
    hi = new long[capacity];
    lo = new long[capacity];
    value = new int[capacity];
    mask = capacity - 1;
  }

  int size() {
    return size;
  }

  /** The position stored for (h, l), or -1. */
  int get(long h, long l) {
    int slot = slot(h, l);
    while (value[slot] != 0) {
      if (hi[slot] == h && lo[slot] == l) return value[slot] - 1;
      slot = (slot + 1) & mask;
    }
    return -1;
  }

  /** Stores position for (h, l) unless present; returns the position already stored, or -1 if it was added. */
  int putIfAbsent(long h, long l, int position) {
    if ((size + 1) * 2 > value.length) grow();
    int slot = slot(h, l);
    while (value[slot] != 0) {
      if (hi[slot] == h && lo[slot] == l) return value[slot] - 1;
      slot = (slot + 1) & mask;
    }
    hi[slot] = h;
    lo[slot] = l;
    value[slot] = position + 1;
    size++;
    return -1;
  }

  private int slot(long h, long l) {
    long x = h * 0x9E3779B97F4A7C15L ^ l;
    x ^= x >>> 29;
    x *= 0xBF58476D1CE4E5B9L;
    x ^= x >>> 32;
    return (int) x & mask;
  }

  private void grow() {
    long[] oh = hi;
    long[] ol = lo;
    int[] ov = value;
    hi = new long[oh.length * 2];
    lo = new long[oh.length * 2];
    value = new int[oh.length * 2];
    mask = value.length - 1;
    size = 0;
    for (int i = 0; i < ov.length; i++) if (ov[i] != 0) putIfAbsent(oh[i], ol[i], ov[i] - 1);
  }

  @Override
  public String toString() {
    return "DigestIndex[" + size + " of " + value.length + " slots]";
  }
}
