package io.covenant.mpc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.engine.SecureStatistics.ColumnTotals;
import io.covenant.mpc.protocol.SecureComparison;
import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.transport.Party;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The three parties over mutual-TLS connections, each presenting its own organisation's certificate, compute exactly
 * what they compute over in-process queues: multiplications, comparisons and the secure statistics.
 */
class RingOverMutualTlsComputesAsInProcess {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void productsComparisonsAndStatisticsEqualTheInProcessOnes() {
    SplittableRandom r = new SplittableRandom(91);
    long[] x = r.longs(20_000).toArray();
    long[] y = r.longs(20_000).toArray();
    long[] a = r.longs(5_000, -1_000_000_000L, 1_000_000_000L).toArray();
    long[] b = r.longs(5_000, -1_000_000_000L, 1_000_000_000L).toArray();
    List<double[]> columns = List.of(r.doubles(3000, -100, 5000).toArray(), r.doubles(11, 0, 10).toArray(), r.doubles(700, 1, 2).toArray());
    PartyProgram<Outcome> program = s -> {
      var xs = s.input(Party.P0, x);
      var ys = s.input(Party.P1, y);
      long[] product = s.revealToAll(s.multiply(xs, ys));
      long[] less = s.revealToAll(SecureComparison.lessThan(s.input(Party.P2, a), s.input(Party.P0, b), s));
      Optional<ColumnTotals> totals = SecureStatistics.sumAndMean(s, columns.get(s.self().index()), Party.P1);
      return new Outcome(product, less, totals);
    };
    List<Outcome> overTls = ThreePartyRuntime.overTlsLoopback(Runtimes.COMMITTEE, Runtimes.CONSORTIUM.members(Runtimes.COMMITTEE), TIMEOUT).run(program);
    List<Outcome> inProcess = ThreePartyRuntime.inProcess(Runtimes.COMMITTEE, TIMEOUT).run(program);

    assertArrayEquals(Ring64.multiply(x, y), overTls.get(0).product());
    for (int p = 0; p < 3; p++) {
      assertArrayEquals(inProcess.get(p).product(), overTls.get(p).product(), "products at party " + p);
      assertEquals(inProcess.get(p).totals(), overTls.get(p).totals(), "statistics at party " + p);
    }
    long[] truth = new long[a.length];
    for (int i = 0; i < a.length; i++) truth[i] = a[i] < b[i] ? 1 : 0;
    assertArrayEquals(truth, overTls.get(2).less());
    assertEquals(Optional.empty(), overTls.get(0).totals());
    assertEquals(3711, overTls.get(1).totals().orElseThrow().rows());
  }

  private record Outcome(long[] product, long[] less, Optional<ColumnTotals> totals) {}
}
