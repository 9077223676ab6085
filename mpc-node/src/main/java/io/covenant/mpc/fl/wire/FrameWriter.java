package io.covenant.mpc.fl.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds one frame of a federated protocol: a one-byte message kind, then big-endian fields. Vectors are written in bulk. */
public final class FrameWriter {
  private ByteBuffer buffer;

  private FrameWriter(int capacity) {
    buffer = ByteBuffer.allocate(Math.max(64, capacity));
  }

  public static FrameWriter of(MessageKind kind, int expectedBytes) {
    FrameWriter w = new FrameWriter(expectedBytes + 16);
    w.buffer.put(kind.tag());
    return w;
  }

  private void room(int bytes) {
    if (buffer.remaining() >= bytes) return;
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + bytes));
    buffer.flip();
    bigger.put(buffer);
    buffer = bigger;
  }

  public FrameWriter putInt(int v) {
    room(4);
    buffer.putInt(v);
    return this;
  }

  public FrameWriter putLong(long v) {
    room(8);
    buffer.putLong(v);
    return this;
  }

  public FrameWriter putBytes(byte[] bytes) {
    room(4 + bytes.length);
    buffer.putInt(bytes.length);
    buffer.put(bytes);
    return this;
  }

  public FrameWriter putString(String s) {
    return putBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  public FrameWriter putLongs(long[] v) {
    room(4 + 8 * v.length);
    buffer.putInt(v.length);
    buffer.asLongBuffer().put(v);
    buffer.position(buffer.position() + 8 * v.length);
    return this;
  }

  public FrameWriter putDoubles(double[] v) {
    room(4 + 8 * v.length);
    buffer.putInt(v.length);
    buffer.asDoubleBuffer().put(v);
    buffer.position(buffer.position() + 8 * v.length);
    return this;
  }

  public byte[] toBytes() {
    return Arrays.copyOf(buffer.array(), buffer.position());
  }
}
