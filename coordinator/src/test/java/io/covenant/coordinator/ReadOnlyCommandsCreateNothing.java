package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.id.DatasetVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped --data-dir must not start an empty deployment: read-only commands name the missing folder and create
 * nothing. Empty datasets and policies for datasets that were never published are refused with the reason.
 */
class ReadOnlyCommandsCreateNothing {
  @TempDir Path dir;

  @Test
  void aMistypedDataDirectoryIsNamedAndNotCreated() throws IOException {
    Path typo = dir.resolve("covenant-dta");
    Path job = Files.writeString(dir.resolve("job.json"), Json.obj("consumer", "insurer-x", "purpose", "p", "engine", "tee",
        "datasets", List.of("hospital-a/claims"), "sql", "SELECT COUNT(*) AS n FROM claims").encode());
    List<List<String>> readOnly = List.of(
        List.of("dataset", "list"), List.of("dataset", "inspect", "hospital-a/claims"), List.of("dataset", "verify", "hospital-a/claims"),
        List.of("job", "list"), List.of("job", "show", "job-0000000000000000"), List.of("org", "list"),
        List.of("policy", "explain", job.toString()), List.of("dataset", "publish", job.toString(), "--owner", "hospital-a"),
        List.of("job", "submit", job.toString()));
    for (List<String> args : readOnly) {
      CliRun r = CliRun.of(typo, args.toArray(String[]::new));
      assertEquals(1, r.exit(), args + ": " + r.out());
      assertTrue(r.err().contains("no data directory at " + typo), args + ": " + r.err());
      assertFalse(Files.exists(typo), args + " created " + typo);
    }
    assertEquals(1, CliRun.of(typo, "verify").exit());
    assertEquals(1, CliRun.of(typo, "policy", "init", "hospital-a/claims", "--assignee", "insurer-x", "--purpose", "p").exit());
    assertFalse(Files.exists(typo), "verify and policy init created " + typo);
    Files.createDirectories(typo);
    CliRun notOurs = CliRun.of(typo, "dataset", "list");
    assertEquals(1, notOurs.exit());
    assertTrue(notOurs.err().contains("is not a Covenant data directory"), notOurs.err());
    try (var left = Files.list(typo)) {
      assertEquals(0, left.count(), "nothing was created inside an unrelated folder");
    }
  }

  @Test
  void aHeaderOnlyCsvAndAPolicyForAnUnpublishedDatasetAreRefused() throws IOException {
    Path data = dir.resolve("data");
    assertEquals(0, CliRun.of(data, "org", "create", "hospital-a", "--role", "owner").exit());
    long before = ledgerSize(data);
    Path empty = Files.writeString(dir.resolve("claims.csv"), "age,cost\n");
    CliRun r = CliRun.of(data, "dataset", "publish", empty.toString(), "--owner", "hospital-a");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("no rows"), r.err());
    Path policy = Files.writeString(dir.resolve("policy.json"),
        io.covenant.coordinator.demo.HospitalInsurerDemo.policyFor(io.covenant.core.id.OrgId.of("hospital-a")));
    CliRun orphan = CliRun.of(data, "policy", "publish", policy.toString());
    assertEquals(1, orphan.exit());
    assertTrue(orphan.err().contains("hospital-a/claims, which is not published here"), orphan.err());
    assertEquals(before, ledgerSize(data), "nothing was recorded");
    try (LocalDeployment d = LocalDeployment.open(data)) {
      assertTrue(d.store().dataset(DatasetVersion.parse("hospital-a/claims@1")).isEmpty());
      assertTrue(d.store().datasets().isEmpty());
    }
  }

  private static long ledgerSize(Path data) {
    try (LocalDeployment d = LocalDeployment.open(data)) {
      return d.ledger().size();
    }
  }
}
