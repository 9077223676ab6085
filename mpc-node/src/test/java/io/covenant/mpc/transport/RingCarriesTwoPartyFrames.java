package io.covenant.mpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Frames of every length cross the ring's link between two seats unchanged, both ways, and a bare ring message is refused. */
class RingCarriesTwoPartyFrames {
  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-x"), OrgId.of("hospital-b"));

  @Test
  void framesOfEveryLengthArriveUnchanged() {
    List<PartyChannel> ring = InProcessNetwork.connect(COMMITTEE, Duration.ofSeconds(5));
    RingPeerLink a = RingPeerLink.toward(ring.get(0), Party.P1);
    RingPeerLink b = RingPeerLink.toward(ring.get(1), Party.P0);
    assertEquals(OrgId.of("insurer-x"), a.peer());
    assertEquals(OrgId.of("hospital-a"), b.peer());
    Random r = new Random(1);
    for (int length : new int[] {0, 1, 7, 8, 9, 15, 16, 17, 1000, 4097}) {
      byte[] frame = new byte[length];
      r.nextBytes(frame);
      a.send(frame);
      assertArrayEquals(frame, b.receive(), "length " + length);
      b.send(frame);
      assertArrayEquals(frame, a.receive(), "length " + length + ", back");
    }
    // Seat 2 and seat 0 are neighbours the other way round (0's previous is 2).
    RingPeerLink c = RingPeerLink.toward(ring.get(2), Party.P0);
    RingPeerLink d = RingPeerLink.toward(ring.get(0), Party.P2);
    c.send(new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, d.receive());
  }

  @Test
  void aRingMessageThatIsNotAFrameIsRefused() {
    List<PartyChannel> ring = InProcessNetwork.connect(COMMITTEE, Duration.ofSeconds(5));
    ring.get(0).sendToNext(new long[] {999, 1});
    PeerLinkException e = assertThrows(PeerLinkException.class, () -> RingPeerLink.toward(ring.get(1), Party.P0).receive());
    assertEquals(PeerLinkException.Reason.MALFORMED, e.reason());
  }
}
