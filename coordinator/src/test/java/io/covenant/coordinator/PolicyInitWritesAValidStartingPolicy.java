package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.job.Engine;
import io.covenant.policy.ColumnRule;
import io.covenant.policy.Policy;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 'policy init' derives a valid, publishable starting policy from a published dataset's sensitivity tags. */
class PolicyInitWritesAValidStartingPolicy {
  @TempDir Path dir;

  private CliRun cli(String... args) {
    return CliRun.of(dir.resolve("data"), args);
  }

  @Test
  void rulesFollowTheTagsAndThePolicyPublishesWithoutWarnings() throws IOException {
    assertEquals(0, cli("org", "create", "hospital-a", "--role", "owner").exit());
    assertEquals(0, cli("org", "create", "insurer-x", "--role", "consumer").exit());
    Path csv = Files.writeString(dir.resolve("visits.csv"),
        "patient_id,age,visit_date,ward,cost,region\nP1,34,2025-01-02,cardio,120.5,north\nP2,51,2025-01-03,ortho,80.0,south\n");
    assertEquals(0, cli("dataset", "publish", csv.toString(), "--owner", "hospital-a", "--sensitivity", "patient_id=identifier",
        "--sensitivity", "age=quasi-identifier", "--sensitivity", "visit_date=quasi-identifier", "--sensitivity", "region=public").exit());

    Path out = dir.resolve("visits-policy.json");
    CliRun init = cli("policy", "init", "hospital-a/visits", "--assignee", "insurer-x", "--purpose", "risk-model",
        "--bound", "cost=0:10000", "--out", out.toString());
    assertEquals(0, init.exit(), init.err());
    assertTrue(init.out().contains("wrote " + out), init.out());
    Policy p = Policy.parse(Files.readString(out));
    assertEquals(ColumnRule.NEVER, p.ruleFor("patient_id"));
    assertEquals(ColumnRule.DIMENSION, p.ruleFor("age"));
    assertEquals(ColumnRule.FILTER, p.ruleFor("visit_date"));
    assertEquals(ColumnRule.DIMENSION, p.ruleFor("ward"));
    assertEquals(ColumnRule.AGGREGATE, p.ruleFor("cost"));
    assertEquals(ColumnRule.PLAIN, p.ruleFor("region"));
    assertEquals(ColumnRule.NEVER, p.defaultColumnRule());
    assertEquals(java.util.List.of(Engine.TEE), p.engines());
    assertEquals(java.util.List.of(LocalDeployment.workerMeasurement()), p.tee().measurements());
    assertTrue(p.privacy().isPresent(), "a starting policy carries a privacy budget");
    assertEquals(0, new BigDecimal("10000").compareTo(p.privacy().get().bounds().get("cost").upper()));
    assertTrue(p.minCohort() >= 10);

    CliRun validated = cli("policy", "validate", out.toString());
    assertEquals(0, validated.exit(), validated.err());
    assertFalse(validated.out().contains("warning:"), validated.out());
    assertEquals(0, cli("policy", "publish", out.toString()).exit());

    CliRun again = cli("policy", "init", "hospital-a/visits", "--assignee", "insurer-x", "--purpose", "risk-model", "--out", out.toString());
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("not overwritten"), again.err());
    CliRun missing = cli("policy", "init", "hospital-a/vistis", "--assignee", "insurer-x", "--purpose", "risk-model",
        "--out", dir.resolve("x.json").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("not published here"), missing.err());
    CliRun badBound = cli("policy", "init", "hospital-a/visits", "--assignee", "insurer-x", "--purpose", "risk-model",
        "--bound", "cost=ten", "--out", dir.resolve("y.json").toString());
    assertEquals(1, badBound.exit());
    assertTrue(badBound.err().contains("LOW:HIGH"), badBound.err());
    assertFalse(Files.exists(dir.resolve("x.json")) || Files.exists(dir.resolve("y.json")));
  }
}
