package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.codec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyAndJobCommandsWork {
  @TempDir Path dir;

  private CliRun cli(String... args) {
    return CliRun.of(dir.resolve("data"), args);
  }

  @Test
  void validatePublishExplainSubmitApproveAndOpen() throws IOException {
    new SmallFederation(dir.resolve("data"), 200).close();
    var hospitalA = HospitalInsurerDemo.HOSPITALS.get(0).org();

    Path broken = Files.writeString(dir.resolve("broken.json"), HospitalInsurerDemo.policyFor(hospitalA).replace("\"never\"", "\"hidden\""));
    CliRun invalid = cli("policy", "validate", broken.toString());
    assertEquals(1, invalid.exit());
    assertTrue(invalid.err().contains("columns.patient_id"), invalid.err());

    Path policy = Files.writeString(dir.resolve("policy.json"),
        PolicyVariants.demoPolicyWith(hospitalA, "approval", Json.obj("required", true)));
    CliRun valid = cli("policy", "validate", policy.toString());
    assertEquals(0, valid.exit(), valid.err());
    assertTrue(valid.out().contains("required") && valid.out().contains("valid"), valid.out());
    CliRun published = cli("policy", "publish", policy.toString());
    assertEquals(0, published.exit(), published.err());
    assertTrue(published.out().contains("POLICY_PUBLISHED"), published.out());

    Path job = Files.writeString(dir.resolve("job.json"), Json.obj(
        "consumer", "insurer-x", "purpose", "risk-model", "engine", "tee",
        "datasets", java.util.List.of("hospital-a/claims", "hospital-b/claims"),
        "sql", "SELECT sex, COUNT(*) AS claims, AVG(length_of_stay) AS avg_stay FROM claims GROUP BY sex").encode());
    CliRun explained = cli("policy", "explain", "--job", job.toString());
    assertEquals(0, explained.exit(), explained.out() + explained.err());
    assertTrue(explained.out().contains("NEEDS_APPROVAL"), explained.out());

    CliRun submitted = cli("job", "submit", "--job", job.toString());
    assertEquals(0, submitted.exit(), submitted.out() + submitted.err());
    assertTrue(submitted.out().contains("AWAITING_APPROVAL"), submitted.out());
    Matcher m = Pattern.compile("job (job-[0-9a-f]{16})").matcher(submitted.out());
    assertTrue(m.find());
    String id = m.group(1);

    CliRun notOwner = cli("job", "approve", id, "--as", "hospital-c");
    assertEquals(1, notOwner.exit());
    assertTrue(notOwner.err().contains("owns no dataset"), notOwner.err());
    CliRun approved = cli("job", "approve", id, "--as", "hospital-a", "--note", "ok for risk modelling");
    assertEquals(0, approved.exit(), approved.out() + approved.err());
    assertTrue(approved.out().contains("COMMITTED"), approved.out());

    CliRun result = cli("job", "result", id, "--as", "insurer-x");
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("avg_stay"), result.out());
    CliRun stranger = cli("job", "result", id, "--as", "hospital-b");
    assertEquals(1, stranger.exit(), "a result opens only for its consumer");

    CliRun shown = cli("job", "show", id);
    assertTrue(shown.out().contains("APPROVAL_GIVEN") && shown.out().contains("RESULT_COMMITTED"), shown.out());
    assertEquals(0, cli("verify").exit());

    CliRun denied = cli("policy", "explain", "--job", Files.writeString(dir.resolve("bad.json"),
        Files.readString(job).replace("risk-model", "marketing")).toString());
    assertEquals(1, denied.exit());
    assertTrue(denied.out().contains("FAIL") && denied.out().contains("purpose"), denied.out());
  }
}
