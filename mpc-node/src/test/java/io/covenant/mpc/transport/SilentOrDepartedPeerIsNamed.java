package io.covenant.mpc.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SilentOrDepartedPeerIsNamed {

  @ParameterizedTest
  @EnumSource(Networks.Kind.class)
  void aPeerThatSendsNothingIsNamedAfterTheTimeout(Networks.Kind kind) {
    List<PartyChannel> channels = Networks.connect(kind, Duration.ofMillis(300));
    try {
      // Party 2 is alive (its links are open) but never sends: a hung or frozen node.
      var e = assertThrows(PeerUnavailableException.class, () -> channels.get(0).receiveFromPrevious());
      assertEquals(Party.P2, e.peer());
      assertEquals(PeerUnavailableException.Reason.SILENT, e.reason());
      assertEquals("party 2 (hospital-c) sent nothing for 300 ms while party 0 (hospital-a) waited for its next message: "
          + "that node has stopped, hung or lost its network; check it, then rerun the computation", e.getMessage());
    } finally {
      channels.forEach(PartyChannel::close);
    }
  }

  @ParameterizedTest
  @EnumSource(Networks.Kind.class)
  void aPeerThatLeavesIsNamedAtOnceAfterItsLastMessage(Networks.Kind kind) {
    List<PartyChannel> channels = Networks.connect(kind, Duration.ofSeconds(30));
    try {
      channels.get(1).sendToPrevious(new long[] {7, 8});
      channels.get(1).close();
      assertArrayEquals(new long[] {7, 8}, channels.get(0).receiveFromNext());
      var e = assertThrows(PeerUnavailableException.class, () -> channels.get(0).receiveFromNext());
      assertEquals(Party.P1, e.peer());
      assertEquals(PeerUnavailableException.Reason.LEFT, e.reason());
      assertTrue(e.getMessage().startsWith("party 1 (insurer-b) left the computation"), e.getMessage());
      // Asking again does not wait for the timeout either.
      assertThrows(PeerUnavailableException.class, () -> channels.get(0).receiveFromNext());
    } finally {
      channels.forEach(PartyChannel::close);
    }
  }

  @Test
  void aNextPartyThatNeverListensIsReportedUnreachable() throws Exception {
    InetSocketAddress nobody;
    try (ServerSocket s = new ServerSocket(0, 1, Networks.ephemeral().getAddress())) {
      nobody = (InetSocketAddress) s.getLocalSocketAddress();
    }
    var listener = TcpPartyChannel.listen(Party.P0, Networks.COMMITTEE, Networks.ephemeral(), Duration.ofMillis(300));
    var e = assertThrows(PeerUnavailableException.class, () -> listener.connect(nobody));
    assertEquals(Party.P1, e.peer());
    assertEquals(PeerUnavailableException.Reason.UNREACHABLE, e.reason());
    assertTrue(e.getMessage().startsWith("party 0 (hospital-a) could not reach party 1 (insurer-b) at "), e.getMessage());
  }
}
