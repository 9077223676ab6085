package io.covenant.mpc.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.CovenantException;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PeerUnavailableException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KilledPeerIsNamedInTheError {
  private static final long[] COLUMN = new SplittableRandom(47).longs(50_000, 0, 1000).toArray();

  /** A secure sum in which party 2 stops responding after the key set-up, as a frozen or powered-off node would. */
  private static long sumWithPartyTwoFrozen(PartySession s) throws InterruptedException {
    if (s.self().equals(Party.P2)) new CountDownLatch(1).await(); // never released; only cancellation ends it
    var total = s.sum(s.input(Party.P0, COLUMN));
    total = s.add(total, s.sum(s.input(Party.P1, COLUMN)));
    total = s.add(total, s.sum(s.input(Party.P2, COLUMN)));
    return s.revealToAll(total)[0];
  }

  @ParameterizedTest
  @EnumSource(Runtimes.class)
  void aFrozenPartyIsNamedOnceThePeerTimeoutPasses(Runtimes kind) {
    ThreePartyRuntime runtime = kind.start(Duration.ofMillis(500));
    var e = assertThrows(PeerUnavailableException.class, () -> runtime.run(KilledPeerIsNamedInTheError::sumWithPartyTwoFrozen));
    assertEquals(Party.P2, e.peer());
    assertEquals(PeerUnavailableException.Reason.SILENT, e.reason());
    assertTrue(e.getMessage().startsWith("party 2 (hospital-c) sent nothing for 500 ms while "), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Runtimes.class)
  void aCrashedPartyIsReportedWithItsOwnError(Runtimes kind) {
    ThreePartyRuntime runtime = kind.start(Duration.ofSeconds(5));
    var e = assertThrows(CovenantException.class, () -> runtime.run(s -> {
      var x = s.input(Party.P0, COLUMN);
      if (s.self().equals(Party.P1)) throw new IllegalStateException("disk full while loading the column");
      return s.revealToAll(s.sum(x))[0];
    }));
    assertEquals("party 1 (insurer-b)'s program failed: java.lang.IllegalStateException: disk full while loading the column", e.getMessage());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    // Party 2 waits for party 1's share in the opening and learns promptly that it left; party 0 needs only party 2's
    // share to open, so it may finish. Either way no party waits out the 5 s timeout as SILENT.
    assertTrue(e.getSuppressed().length >= 1, "party 2 should have reported party 1 leaving");
    for (Throwable other : e.getSuppressed()) {
      var pu = assertInstanceOf(PeerUnavailableException.class, other);
      assertEquals(Party.P1, pu.peer());
      assertEquals(PeerUnavailableException.Reason.LEFT, pu.reason());
    }
  }
}
