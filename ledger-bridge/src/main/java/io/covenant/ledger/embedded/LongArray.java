package io.covenant.ledger.embedded;

import java.util.Arrays;

/** A growable array of longs: entry offsets and per-job entry indexes without boxing. Not thread-safe. */
final class LongArray {
  private long[] values = new long[16];
  private int size;

  void add(long v) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = v;
  }

  long get(int i) {
    if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
    return values[i];
  }

  int size() {
    return size;
  }
}
