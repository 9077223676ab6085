package io.covenant.mpc.fl.wire;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLinkException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Reads one frame written by {@link FrameWriter}. Any frame that is short, oversized in a field, of an unexpected kind
 * or with bytes left over is refused with a {@link PeerLinkException} of reason MALFORMED naming the sender.
 */
public final class FrameReader {
  private final OrgId sender;
  private final ByteBuffer buffer;
  private final MessageKind kind;

  private FrameReader(OrgId sender, byte[] frame, Set<MessageKind> expected) {
    this.sender = sender;
    this.buffer = ByteBuffer.wrap(frame);
    if (frame.length == 0) throw malformed("an empty frame");
    MessageKind k = MessageKind.ofTag(buffer.get());
    if (k == null || !expected.contains(k)) {
      throw malformed("a " + (k == null ? "frame of unknown kind " + frame[0] : k + " message") + " where " + expected + " was expected");
    }
    this.kind = k;
  }

  /** Opens {@code frame} from {@code sender}, which must be one of the {@code expected} kinds. */
  public static FrameReader open(OrgId sender, byte[] frame, MessageKind... expected) {
    return new FrameReader(sender, frame, Set.of(expected));
  }

  public MessageKind kind() {
    return kind;
  }

  private PeerLinkException malformed(String what) {
    return new PeerLinkException(sender, PeerLinkException.Reason.MALFORMED,
        sender + " sent " + what + ": it runs another protocol step or an incompatible version; the computation stops");
  }

  public int getInt() {
    try {
      return buffer.getInt();
    } catch (BufferUnderflowException e) {
      throw malformed("a " + kind + " message cut short");
    }
  }

  public long getLong() {
    try {
      return buffer.getLong();
    } catch (BufferUnderflowException e) {
      throw malformed("a " + kind + " message cut short");
    }
  }

  private int length(int elementBytes) {
    int n = getInt();
    if (n < 0 || (long) n * elementBytes > buffer.remaining()) throw malformed("a " + kind + " message whose field of " + n + " elements overruns the frame");
    return n;
  }

  public byte[] getBytes() {
    byte[] b = new byte[length(1)];
    buffer.get(b);
    return b;
  }

  public String getString() {
    return new String(getBytes(), StandardCharsets.UTF_8);
  }

  public long[] getLongs() {
    long[] v = new long[length(8)];
    buffer.asLongBuffer().get(v);
    buffer.position(buffer.position() + 8 * v.length);
    return v;
  }

  public double[] getDoubles() {
    double[] v = new double[length(8)];
    buffer.asDoubleBuffer().get(v);
    buffer.position(buffer.position() + 8 * v.length);
    return v;
  }

  /** Refuses trailing bytes: a frame means exactly what its fields say. */
  public void end() {
    if (buffer.hasRemaining()) throw malformed("a " + kind + " message with " + buffer.remaining() + " unexpected trailing bytes");
  }
}
