package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.id.OrgId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner who opts out of the privacy budget ({@code privacy.exact}) does it knowingly: {@code policy validate} accepts
 * the policy and warns, naming the risk (differencing reveals one person's value). The demo's budgeted policy gets no
 * warning.
 */
class ExactPolicyIsFlaggedByValidate {
  @TempDir Path dir;

  @Test
  void validateWarnsAboutExactReleaseAndNotAboutABudget() throws Exception {
    OrgId a = HospitalInsurerDemo.HOSPITALS.get(0).org();
    Path exact = Files.writeString(dir.resolve("exact.json"), SmallFederation.exactPolicy(a));
    CliRun run = CliRun.of(dir.resolve("data"), "policy", "validate", exact.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("warning: privacy.exact is true: statistics of sensitive columns are released exactly"), run.out());
    assertTrue(run.out().contains("give that person's exact value by subtraction"), run.out());
    assertTrue(run.out().strip().endsWith("valid"), run.out());

    Path budgeted = Files.writeString(dir.resolve("budget.json"), HospitalInsurerDemo.policyFor(a));
    CliRun quiet = CliRun.of(dir.resolve("data"), "policy", "validate", budgeted.toString());
    assertEquals(0, quiet.exit(), quiet.err());
    assertFalse(quiet.out().contains("warning"), quiet.out());
  }
}
