package io.covenant.mpc.transport;

import static io.covenant.mpc.transport.TlsLinkFixture.A;
import static io.covenant.mpc.transport.TlsLinkFixture.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.JobId;
import io.covenant.core.identity.MutualTls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A node whose certificate another CA issued, even for the right organisation's name, gets no link and no seat in the
 * ring, whichever side it is on.
 */
class CertificateFromAnotherConsortiumIsRefused {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void anOutsiderDiallingAMemberIsRefusedAndNeverAdmitted() {
    JobId job = JobId.random();
    MutualTls outsider = TlsLinkFixture.CONSORTIUM.outsider(B);
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, TIMEOUT)) {
      CompletableFuture<PeerLink> accepted = TlsLinkFixture.acceptAsync(atA, job, B);
      var e = assertThrows(PeerLinkException.class, () -> TlsPeerLinks.connect(outsider, atA.address(), A, job, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertTrue(e.getMessage().startsWith("the TLS handshake between insurer-b and hospital-a at " + atA.address() + " failed"), e.getMessage());
      var missing = assertInstanceOf(PeerLinkException.class, TlsLinkFixture.failure(accepted));
      assertEquals(PeerLinkException.Reason.UNREACHABLE, missing.reason());
      assertTrue(missing.getMessage().startsWith("insurer-b did not connect to hospital-a for job " + job), missing.getMessage());
    }
  }

  @Test
  void aMemberDiallingAnOutsiderRefusesIt() {
    JobId job = JobId.random();
    try (TlsPeerLinks.Listener atOutsider = TlsPeerLinks.listen(TlsLinkFixture.CONSORTIUM.outsider(A), Networks.ephemeral(), TIMEOUT)) {
      Networks.async(() -> atOutsider.accept(job, B));
      var e = assertThrows(PeerLinkException.class, () -> TlsLinkFixture.connect(B, atOutsider.address(), A, job, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertEquals(A, e.peer());
      assertTrue(e.getMessage().contains("one of the two certificates is not from this consortium"), e.getMessage());
    }
  }

  @Test
  void anOutsiderInARingSeatIsRefusedByItsNeighbours() {
    Committee committee = Networks.COMMITTEE;
    List<TcpPartyChannel.Listener> listeners = List.of(
        TcpPartyChannel.listen(Party.P0, committee, Networks.ephemeral(), TIMEOUT, TlsLinkFixture.CONSORTIUM.member(A)),
        TcpPartyChannel.listen(Party.P1, committee, Networks.ephemeral(), TIMEOUT, TlsLinkFixture.CONSORTIUM.outsider(B)),
        TcpPartyChannel.listen(Party.P2, committee, Networks.ephemeral(), TIMEOUT, TlsLinkFixture.CONSORTIUM.member(committee.member(Party.P2))));
    List<CompletableFuture<PartyChannel>> parties = new ArrayList<>();
    for (Party p : Party.all()) {
      var next = listeners.get(p.next().index()).address();
      parties.add(Networks.async(() -> listeners.get(p.index()).connect(next)));
    }
    for (int i : new int[] {0, 2}) {
      var e = assertInstanceOf(PeerUnavailableException.class, TlsLinkFixture.failure(parties.get(i)));
      assertEquals(Party.P1, e.peer(), e.getMessage());
      assertEquals(PeerUnavailableException.Reason.REFUSED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().startsWith("the TLS handshake between " + committee.describe(Party.of(i)) + " and party 1 (insurer-b)"), e.getMessage());
    }
    TlsLinkFixture.failure(parties.get(1));
  }
}
