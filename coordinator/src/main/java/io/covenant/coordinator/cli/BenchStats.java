package io.covenant.coordinator.cli;

import java.util.Arrays;

/** What the benchmarks report of repeated timings. */
final class BenchStats {
  private BenchStats() {}

  /** The median: the middle value, or the mean of the two middle values of an even count. */
  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
