package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.codec.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mistyped organisation must never get keys of its own: every command that names one refuses an organisation that
 * was not created with 'org create', suggests the closest known one, and leaves the ledger and keystores untouched.
 */
class TypoedOrganisationIsRefused {
  @TempDir Path dir;

  private CliRun cli(String... args) {
    return CliRun.of(dir.resolve("data"), args);
  }

  @Test
  void everyCommandNamingAnOrganisationRefusesATypoAndSuggestsTheClosest() throws IOException {
    new SmallFederation(dir.resolve("data"), 100).close();
    long ledgerBefore = ledgerSize();
    Path csv = Files.writeString(dir.resolve("claims.csv"), "age,cost\n34,100\n51,200\n");
    Path job = Files.writeString(dir.resolve("job.json"), Json.obj("consumer", "insurer-z", "purpose", "risk-model", "engine", "tee",
        "datasets", List.of("hospital-a/claims"), "sql", "SELECT COUNT(*) AS n FROM claims").encode());
    Path policy = Files.writeString(dir.resolve("policy.json"), HospitalInsurerDemo.policyFor(HospitalInsurerDemo.HOSPITALS.get(0).org()));

    List<List<String>> typos = List.of(
        List.of("dataset", "publish", csv.toString(), "--owner", "hospitl-a"),
        List.of("dataset", "export", "hospital-a/claims", "--owner", "hospital-x", "--out", dir.resolve("out.csv").toString()),
        List.of("policy", "publish", policy.toString(), "--as", "hospital-aa"),
        List.of("policy", "init", "hospital-a/claims", "--assignee", "insurer-y", "--purpose", "risk-model", "--out", dir.resolve("p.json").toString()),
        List.of("job", "submit", job.toString()),
        List.of("policy", "explain", job.toString()),
        List.of("job", "result", "job-0000000000000000", "--as", "insurer-y"),
        List.of("job", "approve", "job-0000000000000000", "--as", "hospitl-b"));
    for (List<String> args : typos) {
      CliRun r = cli(args.toArray(String[]::new));
      assertEquals(1, r.exit(), args + ": " + r.out() + r.err());
      assertTrue(r.err().contains("no organisation '"), args + ": " + r.err());
      assertTrue(r.err().contains("did you mean '"), args + ": " + r.err());
      assertTrue(r.err().contains("./covenant org create"), args + ": " + r.err());
    }
    assertTrue(cli("dataset", "publish", csv.toString(), "--owner", "hospitl-a").err().contains("did you mean 'hospital-a'?"));
    assertTrue(cli("job", "submit", job.toString()).err().contains("did you mean 'insurer-x'?"));
    CliRun far = cli("dataset", "publish", csv.toString(), "--owner", "carmaker-v");
    assertFalse(far.err().contains("did you mean"), "no suggestion when nothing is close: " + far.err());

    assertEquals(ledgerBefore, ledgerSize(), "nothing was recorded");
    try (var orgs = Files.list(dir.resolve("data/orgs"))) {
      // Each keystore folder and the key file beside it (orgs/<org>.key), and nothing for a typo.
      assertEquals(List.of("covenant-operator", "hospital-a", "hospital-b", "hospital-c", "insurer-x"),
          orgs.map(p -> p.getFileName().toString().replaceFirst("\\.key$", "")).distinct().sorted().toList(), "no keystore was made for a typo");
    }
    assertFalse(Files.exists(dir.resolve("p.json")));
  }

  @Test
  void orgCreateIsTheWayInAndRefusesADuplicate() {
    CliRun created = cli("org", "create", "hospital-a", "--role", "owner", "--name", "St. Anne's Hospital");
    assertEquals(0, created.exit(), created.err());
    assertTrue(created.out().contains("data-owner") && created.out().contains("ORG_REGISTERED"), created.out());
    assertEquals(0, cli("org", "create", "insurer-x", "--role", "consumer,auditor").exit());
    CliRun again = cli("org", "create", "hospital-a", "--role", "owner");
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("already exists"), again.err());
    CliRun badRole = cli("org", "create", "clinic-z", "--role", "hospital");
    assertEquals(1, badRole.exit());
    assertTrue(badRole.err().contains("owner, consumer, auditor or worker"), badRole.err());
    assertFalse(Files.exists(dir.resolve("data/orgs/clinic-z")), "a refused create leaves no keystore");

    CliRun list = cli("org", "list");
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains("St. Anne's Hospital") && list.out().contains("data-consumer,auditor"), list.out());
    assertTrue(list.out().contains("2 organisations"), list.out());
    assertFalse(list.out().contains("covenant-operator"), list.out());
  }

  private long ledgerSize() {
    try (LocalDeployment d = LocalDeployment.open(dir.resolve("data"))) {
      return d.ledger().size();
    }
  }
}
