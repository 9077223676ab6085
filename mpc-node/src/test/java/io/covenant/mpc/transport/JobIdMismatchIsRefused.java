package io.covenant.mpc.transport;

import static io.covenant.mpc.transport.TlsLinkFixture.A;
import static io.covenant.mpc.transport.TlsLinkFixture.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.JobId;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Two nodes given different job ids never exchange a frame, even though each is the organisation the other expects:
 * a link for one job can never carry another job's messages. Both sides name both jobs.
 */
class JobIdMismatchIsRefused {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void aLinkDialledForAnotherJobIsRefusedAndBothSidesNameTheJobs() {
    JobId expected = new JobId("job-00000000000000a1");
    JobId dialled = new JobId("job-00000000000000b2");
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, TIMEOUT)) {
      var accepting = TlsLinkFixture.acceptAsync(atA, expected, B);
      var e = assertThrows(PeerLinkException.class, () -> TlsLinkFixture.connect(B, atA.address(), A, dialled, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertEquals(A, e.peer());
      assertTrue(e.getMessage().startsWith("hospital-a's node refused insurer-b's link for job job-00000000000000b2: no job "
          + "job-00000000000000b2 on hospital-a's node accepted insurer-b within 2000 ms (it expects insurer-b for job job-00000000000000a1): "
          + "the two nodes were given different job ids"), e.getMessage());

      var missing = assertInstanceOf(PeerLinkException.class, TlsLinkFixture.failure(accepting));
      assertEquals(PeerLinkException.Reason.UNREACHABLE, missing.reason());
      assertEquals(B, missing.peer());
      assertTrue(missing.getMessage().startsWith("insurer-b did not connect to hospital-a for job job-00000000000000a1 within 2000 ms; "
          + "it connected for job job-00000000000000b2 instead: the two nodes were given different job ids"), missing.getMessage());
    }
  }

  @Test
  void aConnectionThatArrivesBeforeItsJobStartsIsKeptForOnePeerTimeout() {
    JobId job = JobId.random();
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, Duration.ofSeconds(10))) {
      // insurer-b dials before hospital-a's node has started the job: it is held, then admitted when the job accepts.
      var dialling = Networks.async(() -> TlsLinkFixture.connect(B, atA.address(), A, job, Duration.ofSeconds(10)));
      while (atA.heldConnections() == 0) Thread.onSpinWait();
      try (PeerLink atAFromB = atA.accept(job, B); PeerLink fromB = dialling.join()) {
        fromB.send(new byte[] {3});
        assertEquals(3, atAFromB.receive()[0]);
      }
    }
  }
}
