package io.covenant.mpc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Three parties on TCP loopback: party 0 owns x, party 2 owns y, party 1 learns x·y over 100,000 elements. */
class InnerProductOverTcpLoopback {
  private static final int N = 100_000;

  @Test
  void hundredThousandElementsGiveTheExactInnerProduct() {
    SplittableRandom r = new SplittableRandom(41);
    long[] x = r.longs(N, -1_000_000, 1_000_000).toArray();
    long[] y = r.longs(N, 0, 5_000).toArray();
    List<Optional<Long>> results = Runtimes.TCP_LOOPBACK.start().run(s ->
        SecureStatistics.innerProduct(s, Party.P0, Party.P2, s.self().equals(Party.P0) ? x : y, Party.P1));
    long expected = 0;
    for (int i = 0; i < N; i++) expected += x[i] * y[i];
    assertEquals(Optional.of(expected), results.get(1));
    assertEquals(Optional.empty(), results.get(0));
    assertEquals(Optional.empty(), results.get(2));
  }

  @Test
  void elementWiseProductThenSumAgreesWithTheFusedInnerProduct() {
    SplittableRandom r = new SplittableRandom(43);
    long[] x = r.longs(N).toArray();
    long[] y = r.longs(N).toArray();
    List<long[]> results = Runtimes.TCP_LOOPBACK.start().run(s -> {
      var xs = s.input(Party.P0, x);
      var ys = s.input(Party.P2, y);
      long fused = s.revealToAll(s.innerProduct(xs, ys))[0];
      long[] products = s.revealToAll(s.multiply(xs, ys));
      long viaSum = s.revealToAll(s.sum(s.multiply(xs, ys)))[0];
      return new long[] {fused, viaSum, Ring64.sum(products), products[0], products[N - 1]};
    });
    long expected = Ring64.innerProduct(x, y);
    for (long[] seen : results) {
      assertArrayEquals(new long[] {expected, expected, expected, x[0] * y[0], x[N - 1] * y[N - 1]}, seen);
    }
  }
}
