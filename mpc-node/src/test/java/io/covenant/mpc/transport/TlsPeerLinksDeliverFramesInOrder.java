package io.covenant.mpc.transport;

import static io.covenant.mpc.transport.TlsLinkFixture.A;
import static io.covenant.mpc.transport.TlsLinkFixture.B;
import static io.covenant.mpc.transport.TlsLinkFixture.C;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.id.JobId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Frames over mutual-TLS peer links arrive whole, in order, as copies, on the link of their own job. */
class TlsPeerLinksDeliverFramesInOrder {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Test
  void bothSidesSendManyFramesBeforeReceivingAndGetEveryOneIntactInOrder() {
    var pair = TlsLinkFixture.CONSORTIUM.tlsPair(A, B, TIMEOUT);
    try (PeerLink a = pair.first(); PeerLink b = pair.second()) {
      assertEquals(B, a.peer());
      assertEquals(A, b.peer());
      SplittableRandom r = new SplittableRandom(5);
      byte[][] frames = new byte[60][];
      for (int i = 0; i < frames.length; i++) {
        // Empty frames, small ones and frames of several MiB (larger than the socket buffers on both sides at once).
        int size = i % 10 == 0 ? 0 : i % 7 == 0 ? 3 << 20 : r.nextInt(1, 5000);
        frames[i] = new byte[size];
        r.nextBytes(frames[i]);
      }
      byte[] first = frames[1].clone();
      for (byte[] f : frames) {
        a.send(f);
        b.send(f);
      }
      frames[1][0] ^= 1; // the sender's later writes never reach the peer
      for (int i = 0; i < frames.length; i++) {
        byte[] expected = i == 1 ? first : frames[i];
        assertArrayEquals(expected, b.receive(), "frame " + i + " at insurer-b");
        assertArrayEquals(expected, a.receive(), "frame " + i + " at hospital-a");
      }
      a.sendWords(new long[] {-1L, 42L, Long.MIN_VALUE});
      assertArrayEquals(new long[] {-1L, 42L, Long.MIN_VALUE}, b.receiveWords());
    }
  }

  @Test
  void oneListenerMatchesEachConnectionToItsJobAndOrganisation() {
    JobId federated = JobId.random();
    JobId scoring = JobId.random();
    try (TlsPeerLinks.Listener listener = TlsLinkFixture.listen(A, TIMEOUT)) {
      // The aggregator's job waits for two hospitals at once; a second job with one of them runs beside it.
      var both = Networks.async(() -> listener.acceptAll(federated, Set.of(B, C)));
      var second = TlsLinkFixture.acceptAsync(listener, scoring, B);
      // They dial in another order than the accept calls were made.
      var bScoring = Networks.async(() -> TlsLinkFixture.connect(B, listener.address(), A, scoring, TIMEOUT));
      var cFederated = Networks.async(() -> TlsLinkFixture.connect(C, listener.address(), A, federated, TIMEOUT));
      var bFederated = Networks.async(() -> TlsLinkFixture.connect(B, listener.address(), A, federated, TIMEOUT));
      bScoring.join().send(bytes("scoring from insurer-b"));
      cFederated.join().send(bytes("federated from hospital-c"));
      bFederated.join().send(bytes("federated from insurer-b"));
      Map<io.covenant.core.id.OrgId, PeerLink> links = both.join();
      assertEquals("federated from insurer-b", text(links.get(B).receive()));
      assertEquals("federated from hospital-c", text(links.get(C).receive()));
      assertEquals("scoring from insurer-b", text(second.join().receive()));
      links.values().forEach(PeerLink::close);
      second.join().close();
      bScoring.join().close();
      cFederated.join().close();
      bFederated.join().close();
    }
  }

  @Test
  void aFrameOverTheLimitIsRefusedBeforeItIsSent() {
    var pair = TlsLinkFixture.CONSORTIUM.tlsPair(A, B, TIMEOUT);
    try (PeerLink a = pair.first(); PeerLink b = pair.second()) {
      var e = assertThrows(PeerLinkException.class, () -> a.send(new byte[PeerLink.MAX_FRAME_BYTES + 1]));
      assertEquals(PeerLinkException.Reason.MALFORMED, e.reason());
      a.send(new byte[] {7});
      assertArrayEquals(new byte[] {7}, b.receive());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
