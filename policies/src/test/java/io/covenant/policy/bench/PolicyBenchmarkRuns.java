package io.covenant.policy.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The benchmark as {@code ./covenant bench policies} runs it; tagged, so only run on request. */
@Tag("benchmark")
class PolicyBenchmarkRuns {
  @Test
  void reachesTheGoal() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PolicyBenchmark.Result r = PolicyBenchmark.run(200_000, new PrintStream(out, true, StandardCharsets.UTF_8));
    System.out.println(out.toString(StandardCharsets.UTF_8));
    assertTrue(r.permitted() > r.decisions() / 4 && r.permitted() < r.decisions() * 3 / 4, r.summary());
    assertTrue(r.oneThreadPerSecond() >= 20_000, r.summary());
  }
}
