package io.covenant.storage.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@link StorageBenchmark}; excluded from the default run. Size from {@code -Dcovenant.bench.size} (default 64m):
 * <pre>
 * ./mvnw -q -B -pl storage surefire:test -Dgroups=benchmark -Dcovenant.excluded.groups=none \
 *   -Dtest=StorageThroughputNearTheCryptoCeiling -Dcovenant.bench.size=1g -Dcovenant.jvm.extra="... -Xmx512m"
 * </pre>
 */
@Tag("benchmark")
class StorageThroughputNearTheCryptoCeiling {
  @Test
  void publishAndReadBackKeepUpWithAesGcmPlusSha256(@TempDir Path dir) {
    long size = StorageBenchmark.parseSize(System.getProperty("covenant.bench.size", "64m"));
    StorageBenchmark.Result r = StorageBenchmark.run(size, dir, System.out);
    System.out.print(r.table());
    assertTrue(r.rows() > 0 && r.plaintextBytes() >= size * 9 / 10, "the benchmark published less than it was asked to");
    assertTrue(r.publishRatio() > 0 && r.readRatio() > 0, "throughputs must be positive");
  }
}
