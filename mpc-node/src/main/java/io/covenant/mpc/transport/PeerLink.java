package io.covenant.mpc.transport;

import io.covenant.core.id.OrgId;
import java.nio.ByteBuffer;

/**
 * An ordered, framed, two-way link from this organisation's node to one peer organisation's node: what the
 * two-party and many-party protocols (PSI, secure aggregation, federated rounds) talk over. The three-party ring of the
 * arithmetic engine has its own {@link PartyChannel}; both are carried by the same transports.
 *
 * <p>A frame is a whole batch (one protocol round's worth of elements), never one element. {@link #send} copies the
 * frame and does not wait for the peer, so both sides may send before they receive. {@link #receive} waits at most
 * the link's peer timeout and then throws {@link PeerLinkException} naming the peer and what happened to it.
 */
public interface PeerLink extends AutoCloseable {
  /** Largest frame a link carries (64 MiB): a peer that announces more is not a Covenant node, or a broken one. */
  int MAX_FRAME_BYTES = 64 << 20;

  OrgId self();

  OrgId peer();

  void send(byte[] frame);

  byte[] receive();

  /** Sends {@code words} as one frame of big-endian 64-bit words. */
  default void sendWords(long[] words) {
    ByteBuffer b = ByteBuffer.allocate(Math.multiplyExact(words.length, Long.BYTES));
    b.asLongBuffer().put(words);
    send(b.array());
  }

  /** Receives one frame sent with {@link #sendWords}; refuses a frame whose length is not a whole number of words. */
  default long[] receiveWords() {
    byte[] frame = receive();
    if (frame.length % Long.BYTES != 0) {
      throw new PeerLinkException(peer(), PeerLinkException.Reason.MALFORMED,
          peer() + " sent a frame of " + frame.length + " bytes where " + self() + " expected whole 64-bit words: it runs another protocol step "
              + "or an incompatible version; the computation stops");
    }
    long[] words = new long[frame.length / Long.BYTES];
    ByteBuffer.wrap(frame).asLongBuffer().get(words);
    return words;
  }

  /** Releases the link; a peer waiting on this side learns that it left. Idempotent. */
  @Override
  void close();
}
