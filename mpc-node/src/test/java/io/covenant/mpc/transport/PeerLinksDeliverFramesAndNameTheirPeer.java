package io.covenant.mpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerLinksDeliverFramesAndNameTheirPeer {
  private static final OrgId A = OrgId.of("hospital-a");
  private static final OrgId B = OrgId.of("insurer-b");
  private static final OrgId C = OrgId.of("hospital-c");

  @Test
  void framesArriveInOrderAndAsCopies() {
    var pair = InProcessLinks.pair(A, B, Duration.ofSeconds(5));
    byte[] first = {1, 2, 3};
    pair.first().send(first);
    pair.first().sendWords(new long[] {-1L, 42L});
    first[0] = 9; // the sender's later writes never reach the peer
    byte[] got = pair.second().receive();
    assertArrayEquals(new byte[] {1, 2, 3}, got);
    assertNotSame(first, got);
    assertArrayEquals(new long[] {-1L, 42L}, pair.second().receiveWords());
  }

  @Test
  void aSilentPeerIsNamed() {
    var pair = InProcessLinks.pair(A, B, Duration.ofMillis(50));
    var e = assertThrows(PeerLinkException.class, () -> pair.first().receive());
    assertEquals(B, e.peer());
    assertEquals(PeerLinkException.Reason.SILENT, e.reason());
    assertTrue(e.getMessage().contains("insurer-b sent nothing"), e.getMessage());
  }

  @Test
  void aDepartedPeerIsNamed() {
    var pair = InProcessLinks.pair(A, B, Duration.ofSeconds(5));
    pair.second().close();
    var e = assertThrows(PeerLinkException.class, () -> pair.first().receive());
    assertEquals(PeerLinkException.Reason.LEFT, e.reason());
    assertEquals(B, e.peer());
  }

  @Test
  void framesThatAreNotWholeWordsAreRefused() {
    var pair = InProcessLinks.pair(A, B, Duration.ofSeconds(5));
    pair.first().send(new byte[7]);
    var e = assertThrows(PeerLinkException.class, () -> pair.second().receiveWords());
    assertEquals(PeerLinkException.Reason.MALFORMED, e.reason());
  }

  @Test
  void aMeshLinksEveryTwoOrganisations() {
    Map<OrgId, Map<OrgId, PeerLink>> mesh = InProcessLinks.mesh(List.of(A, B, C), Duration.ofSeconds(5));
    mesh.get(A).get(C).send(new byte[] {7});
    mesh.get(C).get(B).send(new byte[] {8});
    assertArrayEquals(new byte[] {7}, mesh.get(C).get(A).receive());
    assertArrayEquals(new byte[] {8}, mesh.get(B).get(C).receive());
    assertEquals(2, mesh.get(B).size());
  }
}
