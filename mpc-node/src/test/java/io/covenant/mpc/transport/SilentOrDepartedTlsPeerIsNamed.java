package io.covenant.mpc.transport;

import static io.covenant.mpc.transport.TlsLinkFixture.A;
import static io.covenant.mpc.transport.TlsLinkFixture.B;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.JobId;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Over a mutual-TLS peer link, a peer that stops answering, leaves or never listens is named, with what happened. */
class SilentOrDepartedTlsPeerIsNamed {

  @Test
  void aPeerThatSendsNothingIsNamedAfterTheTimeout() {
    var pair = TlsLinkFixture.CONSORTIUM.tlsPair(A, B, Duration.ofMillis(300));
    try (PeerLink a = pair.first(); PeerLink b = pair.second()) {
      // insurer-b's link is open, but its node never sends: hung or frozen.
      var e = assertThrows(PeerLinkException.class, a::receive);
      assertEquals(B, e.peer());
      assertEquals(PeerLinkException.Reason.SILENT, e.reason());
      assertEquals("insurer-b sent nothing for 300 ms while hospital-a waited for its next message: that node has stopped, hung or "
          + "lost its network; check it, then rerun the computation", e.getMessage());
    }
  }

  @Test
  void aPeerThatLeavesIsNamedAtOnceAfterItsLastFrame() {
    var pair = TlsLinkFixture.CONSORTIUM.tlsPair(A, B, Duration.ofSeconds(30));
    try (PeerLink a = pair.first(); PeerLink b = pair.second()) {
      b.send(new byte[] {7});
      b.sendWords(new long[] {8});
      b.close();
      assertArrayEquals(new byte[] {7}, a.receive());
      assertArrayEquals(new long[] {8}, a.receiveWords());
      long start = System.nanoTime();
      var e = assertThrows(PeerLinkException.class, a::receive);
      assertEquals(B, e.peer());
      assertEquals(PeerLinkException.Reason.LEFT, e.reason());
      assertTrue(e.getMessage().startsWith("insurer-b left the computation (its link to hospital-a closed)"), e.getMessage());
      // Asking again does not wait for the timeout either.
      assertEquals(PeerLinkException.Reason.LEFT, assertThrows(PeerLinkException.class, a::receive).reason());
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(25).toNanos(), "a departed peer must not be reported as silent");
      // The side that closed its own link is told so, not that the peer left.
      assertEquals(PeerLinkException.Reason.CANCELLED, assertThrows(PeerLinkException.class, b::receive).reason());
    }
  }

  @Test
  void aPeerThatNeverListensIsReportedUnreachable() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket s = new ServerSocket(0, 1, Networks.ephemeral().getAddress())) {
      nobody = (InetSocketAddress) s.getLocalSocketAddress();
    }
    var e = assertThrows(PeerLinkException.class, () -> TlsLinkFixture.connect(A, nobody, B, JobId.random(), Duration.ofMillis(300)));
    assertEquals(B, e.peer());
    assertEquals(PeerLinkException.Reason.UNREACHABLE, e.reason());
    assertEquals("hospital-a could not reach insurer-b at " + nobody + " within 300 ms: start that node, or check the address it was given",
        e.getMessage());
  }
}
