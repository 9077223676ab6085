package io.covenant.mpc.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Secure element-wise multiplications per second on 1M-element vectors, against plaintext Z_2^64 multiplication in
 * the same JVM. All three parties share this machine's cores, so the figure is a lower bound for three hosts (and
 * an upper bound for a real network's latency). Run with:
 * {@code ./mvnw -pl mpc-node test -Dcovenant.excluded.groups=none -Dgroups=benchmark}
 */
@Tag("benchmark")
class MultiplicationThroughputBenchmark {
  private static final int N = 1 << 20;
  // Enough batches for the JIT to compile the AES-CTR path (its intrinsic only runs in compiled code).
  private static final int WARMUP = 15;
  private static final int ROUNDS = 10;

  @Test
  void reportSecureVersusPlaintextMultiplicationsPerSecond() {
    SplittableRandom r = new SplittableRandom(61);
    long[] x = r.longs(N).toArray();
    long[] y = r.longs(N).toArray();

    long[] plain = null;
    for (int i = 0; i < WARMUP; i++) plain = Ring64.multiply(x, y);
    long start = System.nanoTime();
    for (int i = 0; i < ROUNDS; i++) plain = Ring64.multiply(x, y);
    double plainPerSecond = (double) N * ROUNDS / ((System.nanoTime() - start) / 1e9);

    for (Runtimes kind : Runtimes.values()) {
      List<double[]> timings = kind.start().run(s -> {
        var xs = s.input(Party.P0, x);
        var ys = s.input(Party.P1, y);
        for (int i = 0; i < WARMUP; i++) s.multiply(xs, ys);
        long t0 = System.nanoTime();
        var product = xs;
        for (int i = 0; i < ROUNDS; i++) product = s.multiply(xs, ys);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long[] opened = s.revealToAll(product);
        return new double[] {seconds, opened[0], opened[N - 1]};
      });
      double slowest = timings.stream().mapToDouble(t -> t[0]).max().orElseThrow();
      double securePerSecond = (double) N * ROUNDS / slowest;
      assertArrayEquals(new double[] {plain[0], plain[N - 1]}, new double[] {timings.get(0)[1], timings.get(0)[2]});
      System.out.printf(Locale.ROOT, "%-13s secure %,.0f mult/s   plaintext %,.0f mult/s   plaintext/secure = %.1f%n",
          kind, securePerSecond, plainPerSecond, plainPerSecond / securePerSecond);
    }
  }
}
