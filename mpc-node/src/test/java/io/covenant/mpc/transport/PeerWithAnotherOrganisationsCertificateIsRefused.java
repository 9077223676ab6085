package io.covenant.mpc.transport;

import static io.covenant.mpc.transport.TlsLinkFixture.A;
import static io.covenant.mpc.transport.TlsLinkFixture.B;
import static io.covenant.mpc.transport.TlsLinkFixture.C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * A consortium member that is not the organisation the job puts at the other end of a link (a wrong address, or a
 * member posing as another) is refused by the dialling side and by the accepting side, before anything is sent.
 */
class PeerWithAnotherOrganisationsCertificateIsRefused {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void theDiallerRefusesANodeWhoseCertificateNamesAnotherOrganisation() {
    JobId job = JobId.random();
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, TIMEOUT)) {
      // insurer-b was given hospital-a's address for hospital-c.
      var e = assertThrows(PeerLinkException.class, () -> TlsLinkFixture.connect(B, atA.address(), C, job, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertEquals(C, e.peer());
      assertEquals("insurer-b expected hospital-c at " + atA.address() + ", but that node presented the certificate of hospital-a: "
          + "refused before anything was sent; check the address and the organisations the job names", e.getMessage());
    }
  }

  @Test
  void theListenerRefusesAnOrganisationTheJobDoesNotExpectAndStillAdmitsTheRightOne() {
    JobId job = JobId.random();
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, TIMEOUT)) {
      CompletableFuture<PeerLink> accepted = TlsLinkFixture.acceptAsync(atA, job, B);
      // hospital-c, a genuine member, connects for this job, though the job expects insurer-b there.
      var e = assertThrows(PeerLinkException.class, () -> TlsLinkFixture.connect(C, atA.address(), A, job, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertEquals(A, e.peer());
      assertEquals("hospital-a's node refused hospital-c's link for job " + job + ": hospital-a expects insurer-b for job " + job
          + ", not hospital-c", e.getMessage());
      try (PeerLink fromB = TlsLinkFixture.connect(B, atA.address(), A, job, TIMEOUT); PeerLink atAFromB = accepted.join()) {
        assertEquals(B, atAFromB.peer());
        fromB.send(new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, atAFromB.receive());
      }
    }
  }

  @Test
  void aRingNeighbourPresentingAnotherOrganisationsCertificateIsRefusedByBothItsNeighbours() {
    // insurer-x is a consortium member too, but the committee puts insurer-b in seat 1; insurer-x's node has been
    // configured as if it held that seat.
    Committee impostorsView = Committee.of(A, OrgId.of("insurer-x"), C);
    Duration timeout = Duration.ofSeconds(3);
    List<TcpPartyChannel.Listener> listeners = List.of(
        TcpPartyChannel.listen(Party.P0, Networks.COMMITTEE, Networks.ephemeral(), timeout, TlsLinkFixture.CONSORTIUM.member(A)),
        TcpPartyChannel.listen(Party.P1, impostorsView, Networks.ephemeral(), timeout, TlsLinkFixture.CONSORTIUM.member(OrgId.of("insurer-x"))),
        TcpPartyChannel.listen(Party.P2, Networks.COMMITTEE, Networks.ephemeral(), timeout, TlsLinkFixture.CONSORTIUM.member(C)));
    List<CompletableFuture<PartyChannel>> parties = new ArrayList<>();
    for (Party p : Party.all()) {
      var next = listeners.get(p.next().index()).address();
      parties.add(Networks.async(() -> listeners.get(p.index()).connect(next)));
    }
    // Party 0 dials seat 1 and finds insurer-x's certificate there.
    var atParty0 = assertInstanceOf(PeerUnavailableException.class, TlsLinkFixture.failure(parties.get(0)));
    assertEquals(PeerUnavailableException.Reason.REFUSED, atParty0.reason());
    assertEquals(Party.P1, atParty0.peer());
    assertEquals("party 0 (hospital-a) expected party 1 (insurer-b) at " + listeners.get(1).address() + ", but that node presented "
        + "the certificate of insurer-x: refused before any share was sent; check the addresses and the committee each node was given",
        atParty0.getMessage());
    // Party 2 accepts seat 1's connection and finds insurer-x's certificate.
    var atParty2 = assertInstanceOf(PeerUnavailableException.class, TlsLinkFixture.failure(parties.get(2)));
    assertEquals(PeerUnavailableException.Reason.REFUSED, atParty2.reason());
    assertEquals(Party.P1, atParty2.peer());
    assertTrue(atParty2.getMessage().startsWith("party 2 (hospital-c) expected party 1 (insurer-b) to connect to it, but that node "
        + "presented the certificate of insurer-x"), atParty2.getMessage());
    assertThrows(CompletionException.class, parties.get(1)::join);
  }
}
