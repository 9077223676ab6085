package io.covenant.mpc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TcpHandshakeRefusesMisconfiguredNodes {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** Connects the three listeners to the given "next" listeners; returns each party's outcome (channel or error). */
  private static List<Object> connect(List<TcpPartyChannel.Listener> listeners, int[] nextOf) {
    List<CompletableFuture<PartyChannel>> futures = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      InetSocketAddress next = listeners.get(nextOf[i]).address();
      TcpPartyChannel.Listener l = listeners.get(i);
      futures.add(Networks.async(() -> l.connect(next)));
    }
    List<Object> outcomes = new ArrayList<>();
    for (var f : futures) {
      try {
        outcomes.add(f.join());
      } catch (CompletionException e) {
        outcomes.add(e.getCause());
      }
    }
    outcomes.stream().filter(o -> o instanceof PartyChannel).forEach(o -> ((PartyChannel) o).close());
    return outcomes;
  }

  @Test
  void aNodeWithAnotherCommitteeIsRefused() {
    Committee other = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-x"), OrgId.of("hospital-c"));
    List<TcpPartyChannel.Listener> listeners = List.of(
        TcpPartyChannel.listen(Party.P0, Networks.COMMITTEE, Networks.ephemeral(), TIMEOUT),
        TcpPartyChannel.listen(Party.P1, other, Networks.ephemeral(), TIMEOUT),
        TcpPartyChannel.listen(Party.P2, Networks.COMMITTEE, Networks.ephemeral(), TIMEOUT));
    List<Object> outcomes = connect(listeners, new int[] {1, 2, 0});
    var e = assertInstanceOf(MalformedInputException.class, outcomes.get(1));
    assertEquals("party 0 (hospital-a) was configured with a different committee than party 1 (insurer-x): "
        + "give all three nodes the same three organisations in the same order", e.getMessage());
  }

  @Test
  void addressesInTheWrongOrderAreRefused() {
    // Party 0 is wrongly given party 2's address as its next party; party 2 expects party 1 to connect to it.
    List<TcpPartyChannel.Listener> listeners = new ArrayList<>();
    for (Party p : Party.all()) listeners.add(TcpPartyChannel.listen(p, Networks.COMMITTEE, Networks.ephemeral(), TIMEOUT));
    listeners.get(1).close();
    var atParty0 = Networks.async(() -> listeners.get(0).connect(listeners.get(2).address()));
    var atParty2 = Networks.async(() -> listeners.get(2).connect(listeners.get(0).address()));
    var e = assertThrows(CompletionException.class, atParty2::join);
    assertEquals("party 2 (hospital-c) expected party 1 (insurer-b) but party 0 connected: "
        + "the parties were given each other's addresses in the wrong order", e.getCause().getMessage());
    assertThrows(CompletionException.class, atParty0::join);
  }

  @Test
  void nonLoopbackAddressesAreRefusedBecauseSharesTravelUnencrypted() {
    var e = assertThrows(MalformedInputException.class,
        () -> TcpPartyChannel.listen(Party.P0, Networks.COMMITTEE, new InetSocketAddress("192.0.2.10", 9000), TIMEOUT));
    assertTrue(e.getMessage().contains("only accepts loopback addresses"), e.getMessage());
  }
}
