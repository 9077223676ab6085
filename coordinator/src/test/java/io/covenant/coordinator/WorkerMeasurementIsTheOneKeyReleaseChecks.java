package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The value 'worker measure' prints is exactly the one every owner's key service compares with the attested evidence:
 * a policy pinning it computes, a policy pinning anything else fails at key release. 'policy validate' warns about a
 * TEE policy with no measurement and prints the value to add.
 */
class WorkerMeasurementIsTheOneKeyReleaseChecks {
  @TempDir Path dir;

  @Test
  void thePrintedMeasurementReleasesKeysAndAnotherDoesNot() throws IOException {
    CliRun measured = CliRun.bare("worker", "measure", "--value-only");
    assertEquals(0, measured.exit(), measured.err());
    String value = measured.out().strip();
    assertTrue(value.matches("[0-9a-f]{96}"), "a SHA-384 measurement in hex: " + value);
    CliRun table = CliRun.bare("worker", "measure");
    assertTrue(table.out().contains(value) && table.out().contains("SIMULATED"), table.out());

    try (SmallFederation f = new SmallFederation(dir.resolve("data"), 200)) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        f.deployment.owner(h.org()).publishPolicy(PolicyVariants.demoPolicyWith(h.org(), "tee",
            Json.obj("allowSimulated", true, "measurements", List.of(value))));
      }
      JobOutcome pinned = f.submit("SELECT sex, COUNT(*) AS claims FROM claims GROUP BY sex");
      assertEquals(JobState.COMMITTED, pinned.state(), pinned.reasons().toString());

      OrgId a = HospitalInsurerDemo.HOSPITALS.get(0).org();
      String other = (value.charAt(0) == 'a' ? "b" : "a") + value.substring(1);
      f.deployment.owner(a).publishPolicy(PolicyVariants.demoPolicyWith(a, "tee",
          Json.obj("allowSimulated", true, "measurements", List.of(other))));
      JobOutcome refused = f.submit("SELECT sex, COUNT(*) AS claims FROM claims GROUP BY sex");
      assertEquals(JobState.FAILED, refused.state(), refused.reasons().toString());
      assertTrue(String.join(" ", refused.reasons()).contains(value), "the refusal names the attested measurement: " + refused.reasons());
    }
  }

  @Test
  void validateWarnsAboutAMissingMeasurementAndPrintsTheValueToAdd() throws IOException {
    String value = CliRun.bare("worker", "measure", "--value-only").out().strip();
    OrgId a = HospitalInsurerDemo.HOSPITALS.get(0).org();
    Path none = Files.writeString(dir.resolve("none.json"), PolicyVariants.demoPolicyWith(a, "tee", Json.obj("allowSimulated", true)));
    CliRun warned = CliRun.of(dir.resolve("data"), "policy", "validate", none.toString());
    assertEquals(0, warned.exit(), "a warning, not an error: " + warned.err());
    assertTrue(warned.out().contains("warning: tee.measurements is empty"), warned.out());
    assertTrue(warned.out().contains("\"measurements\": [\"" + value + "\"]"), warned.out());

    Path pinned = Files.writeString(dir.resolve("pinned.json"), PolicyVariants.demoPolicyWith(a, "tee",
        Json.obj("allowSimulated", true, "measurements", List.of(value))));
    CliRun clean = CliRun.of(dir.resolve("data"), "policy", "validate", pinned.toString());
    assertEquals(0, clean.exit());
    assertFalse(clean.out().contains("tee.measurements"), clean.out());

    Path strict = Files.writeString(dir.resolve("strict.json"), PolicyVariants.demoPolicyWith(a, "tee",
        Json.obj("allowSimulated", false, "measurements", List.of(value))));
    assertTrue(CliRun.of(dir.resolve("data"), "policy", "validate", strict.toString()).out().contains("warning: tee.allowSimulated is false"));
    assertFalse(Files.exists(dir.resolve("data")), "validate is read-only");
  }
}
