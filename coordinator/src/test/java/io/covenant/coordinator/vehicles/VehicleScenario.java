package io.covenant.coordinator.vehicles;

import io.covenant.coordinator.deployment.LocalDeployment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** One run of the vehicle scenario on a small fleet, shared by the test classes of this package (they only read it). */
final class VehicleScenario {
  static final int VEHICLES = 60;
  static final int DAYS = 30;

  private static VehicleScenario run;

  final Path dir;
  final VehiclesDemo.Outcome outcome;
  final String printed;

  private VehicleScenario(Path dir, VehiclesDemo.Outcome outcome, String printed) {
    this.dir = dir;
    this.outcome = outcome;
    this.printed = printed;
  }

  static synchronized VehicleScenario get() {
    if (run == null) {
      try {
        Path dir = Files.createTempDirectory("covenant-vehicles-test");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        VehiclesDemo.Outcome o;
        try (LocalDeployment d = LocalDeployment.open(dir)) {
          o = new VehiclesDemo(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(d, VEHICLES, DAYS, 4242);
        }
        run = new VehicleScenario(dir, o, buf.toString(StandardCharsets.UTF_8));
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
