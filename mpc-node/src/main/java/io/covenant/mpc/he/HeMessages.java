package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.PeerLink;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The engine's messages as one byte string each, for transports that carry a whole message at once (HTTP bodies, the
 * coordinator's result store): the same frames {@link HeWire} sends over a {@link PeerLink}, each prefixed with its
 * length (4 bytes, big-endian). So a message stored or posted is byte for byte what a peer link would carry, and the
 * ledger digests ({@link EncryptedModel#digest()}, {@link EncryptedScores#digest()}...) are computed the same way.
 */
public final class HeMessages {
  private HeMessages() {}

  public static byte[] model(EncryptedModel m) {
    return encode(link -> HeWire.sendModel(link, m));
  }

  public static EncryptedModel model(byte[] bytes, OrgId from) {
    return decode(bytes, from, HeWire::receiveModel);
  }

  public static byte[] scores(EncryptedScores s) {
    return encode(link -> HeWire.sendScores(link, s));
  }

  public static EncryptedScores scores(byte[] bytes, OrgId from) {
    return decode(bytes, from, HeWire::receiveScores);
  }

  public static byte[] keys(AggregationKeys k) {
    return encode(link -> HeWire.sendKeys(link, k));
  }

  public static AggregationKeys keys(byte[] bytes, OrgId from) {
    return decode(bytes, from, HeWire::receiveKeys);
  }

  public static byte[] contribution(EncryptedContribution c) {
    return encode(link -> HeWire.sendContribution(link, c));
  }

  /** Reads a contribution, which must be labelled as {@code from}'s. */
  public static EncryptedContribution contribution(byte[] bytes, OrgId from) {
    return decode(bytes, from, HeWire::receiveContribution);
  }

  public static byte[] total(EncryptedTotal t) {
    return encode(link -> HeWire.sendTotal(link, t));
  }

  public static EncryptedTotal total(byte[] bytes, OrgId from) {
    return decode(bytes, from, HeWire::receiveTotal);
  }

  private static byte[] encode(Consumer<PeerLink> send) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(out);
    send.accept(new BufferLink(OrgId.of("sender"), OrgId.of("receiver"), frame -> {
      try {
        data.writeInt(frame.length);
        data.write(frame);
      } catch (IOException e) {
        throw new AssertionError("writing to memory cannot fail", e);
      }
    }, new ArrayDeque<>()));
    return out.toByteArray();
  }

  private static <T> T decode(byte[] bytes, OrgId from, Function<PeerLink, T> receive) {
    Deque<byte[]> frames = new ArrayDeque<>();
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
      while (in.available() > 0) {
        int n = in.readInt();
        if (n < 0 || n > PeerLink.MAX_FRAME_BYTES || n > in.available()) throw new MalformedInputException("an HE message from " + from + " announces a frame of " + n + " bytes it does not hold");
        frames.add(in.readNBytes(n));
      }
    } catch (IOException e) {
      throw new MalformedInputException("an HE message from " + from + " ends inside a frame length; it was cut short");
    }
    T value = receive.apply(new BufferLink(OrgId.of("receiver"), from, f -> {}, frames));
    if (!frames.isEmpty()) throw new MalformedInputException("an HE message from " + from + " carries " + frames.size() + " frames more than its header announces");
    return value;
  }

  /** A link over frames already in memory. */
  private record BufferLink(OrgId self, OrgId peer, Consumer<byte[]> out, Deque<byte[]> in) implements PeerLink {
    @Override
    public void send(byte[] frame) {
      out.accept(frame);
    }

    @Override
    public byte[] receive() {
      byte[] f = in.poll();
      if (f == null) throw new MalformedInputException("an HE message from " + peer + " ends before its last frame; it was cut short");
      return f;
    }

    @Override
    public void close() {}
  }
}
