package io.covenant.mpc.transport;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.nio.ByteBuffer;

/**
 * A two-party link carried by the three-party ring's link between two neighbouring seats, so that a two-party step of a
 * committee's job (the PSI that aligns two owners' rows before they train together) runs over the connection the ring
 * already authenticated, with no second endpoint. Each frame travels as one ring message: its length in bytes, then
 * its bytes packed into 64-bit words. Closing it leaves the ring open (the ring's owner closes the ring).
 */
public final class RingPeerLink implements PeerLink {
  private final PartyChannel ring;
  private final boolean towardNext;

  private RingPeerLink(PartyChannel ring, boolean towardNext) {
    this.ring = ring;
    this.towardNext = towardNext;
  }

  /** The link from this seat to {@code neighbour}, which must be the next or the previous seat. */
  public static RingPeerLink toward(PartyChannel ring, Party neighbour) {
    Party self = ring.self();
    if (neighbour.equals(self)) throw new MalformedInputException(ring.committee().describe(self) + " cannot link to itself");
    // With three seats every other seat is a neighbour: next or previous.
    return new RingPeerLink(ring, neighbour.equals(self.next()));
  }

  @Override
  public OrgId self() {
    return ring.committee().member(ring.self());
  }

  @Override
  public OrgId peer() {
    return ring.committee().member(towardNext ? ring.self().next() : ring.self().previous());
  }

  @Override
  public void send(byte[] frame) {
    if (frame.length > MAX_FRAME_BYTES) throw new MalformedInputException("a frame of " + frame.length + " bytes is above the link's limit of " + MAX_FRAME_BYTES);
    long[] words = new long[1 + (frame.length + Long.BYTES - 1) / Long.BYTES];
    words[0] = frame.length;
    ByteBuffer b = ByteBuffer.allocate((words.length - 1) * Long.BYTES);
    b.put(frame);
    b.rewind(); // the whole buffer, zero padding included
    b.asLongBuffer().get(words, 1, words.length - 1);
    if (towardNext) ring.sendToNext(words);
    else ring.sendToPrevious(words);
  }

  @Override
  public byte[] receive() {
    long[] words = towardNext ? ring.receiveFromNext() : ring.receiveFromPrevious();
    if (words.length == 0 || words[0] < 0 || words[0] > MAX_FRAME_BYTES || (words[0] + Long.BYTES - 1) / Long.BYTES != words.length - 1) {
      throw new PeerLinkException(peer(), PeerLinkException.Reason.MALFORMED, peer() + " sent a ring message that is not a framed message of the "
          + "two-party step; the computation stops");
    }
    ByteBuffer b = ByteBuffer.allocate((words.length - 1) * Long.BYTES);
    b.asLongBuffer().put(words, 1, words.length - 1);
    byte[] frame = new byte[(int) words[0]];
    b.get(frame);
    return frame;
  }

  @Override
  public void close() {
    // The ring carries the rest of the job; its owner closes it.
  }
}
