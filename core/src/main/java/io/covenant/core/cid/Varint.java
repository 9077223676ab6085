package io.covenant.core.cid;

import io.covenant.core.error.MalformedInputException;
import java.io.ByteArrayOutputStream;

/** Unsigned LEB128 varints as used by multiformats (https://github.com/multiformats/unsigned-varint). */
final class Varint {
  private Varint() {}

  static void write(long value, ByteArrayOutputStream out) {
    if (value < 0) throw new IllegalArgumentException("varint must be non-negative");
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }

  /** Reads a varint at {@code pos[0]} and advances it. At most 9 bytes, minimally encoded, as the spec requires. */
  static long read(byte[] in, int[] pos) {
    long value = 0;
    for (int i = 0; i < 9; i++) {
      if (pos[0] >= in.length) throw new MalformedInputException("truncated varint in CID");
      int b = in[pos[0]++] & 0xFF;
      value |= (long) (b & 0x7F) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) throw new MalformedInputException("varint in CID is not minimally encoded");
        return value;
      }
    }
    throw new MalformedInputException("varint in CID is longer than 9 bytes");
  }
}
