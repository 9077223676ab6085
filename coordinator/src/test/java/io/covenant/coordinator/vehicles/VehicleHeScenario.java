package io.covenant.coordinator.vehicles;

import io.covenant.coordinator.deployment.LocalDeployment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One run of the vehicle scenario on the HE route on a small fleet, shared by the HE test classes of this package
 * (they only read it). Its SEAL sidecars install through the project's own installer (mpc-node's HeSidecarInstall, into
 * the repository's git-ignored .ci/cache/he-sidecar/, with npm ci from the committed lock file), as every he test does.
 */
final class VehicleHeScenario {
  static final int VEHICLES = 40;
  static final int DAYS = 30;

  private static VehicleHeScenario run;

  final Path dir;
  final VehiclesDemo.Outcome outcome;
  final String printed;

  private VehicleHeScenario(Path dir, VehiclesDemo.Outcome outcome, String printed) {
    this.dir = dir;
    this.outcome = outcome;
    this.printed = printed;
  }

  static synchronized VehicleHeScenario get() {
    if (run == null) {
      try {
        Path dir = Files.createTempDirectory("covenant-vehicles-he-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        VehiclesDemo.Outcome o;
        try (LocalDeployment d = LocalDeployment.open(dir)) {
          o = new VehiclesDemo(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(d, VEHICLES, DAYS, 1717, UbiRoute.HE);
        }
        run = new VehicleHeScenario(dir, o, buf.toString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return run;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a temporary directory left behind is harmless
    }
  }

  /** The deployment of the run, opened again (close it). */
  LocalDeployment open() {
    return LocalDeployment.open(dir);
  }
}
