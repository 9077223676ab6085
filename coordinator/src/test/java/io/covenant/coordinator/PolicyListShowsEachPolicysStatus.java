package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.catalogue.PublishedPolicy;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy list} prints every published policy with its status: the one in force for its dataset, one a later
 * policy superseded, one its owner revoked; with {@code --server} it prints the same table from a running API.
 */
class PolicyListShowsEachPolicysStatus {
  @TempDir Path dir;

  @Test
  void inForceSupersededAndRevokedAreNamedLocallyAndFromTheServer() {
    OrgId a = HospitalInsurerDemo.HOSPITALS.get(0).org();
    OrgId b = HospitalInsurerDemo.HOSPITALS.get(1).org();
    List<PublishedPolicy> policies;
    try (SmallFederation f = new SmallFederation(dir, 50)) {
      f.deployment.owner(a).publishPolicy(SmallFederation.exactPolicy(a)); // supersedes a's first policy
      f.deployment.owner(b).revokePolicy(new DatasetId(b, "claims"), "consent withdrawn");
      policies = f.deployment.store().policies();
    }
    assertEquals(4, policies.size());

    CliRun local = CliRun.of(dir, "policy", "list");
    assertEquals(0, local.exit(), local.toString());
    // In publication order: a's first policy (superseded by its second), b's (revoked), c's, and a's second.
    List<String> expected = List.of("superseded", "revoked", "in force", "in force");
    List<String> lines = List.of(local.out().split("\n"));
    for (int i = 0; i < policies.size(); i++) {
      PublishedPolicy p = policies.get(i);
      String hash = p.policy().hash().hex();
      int at = java.util.stream.IntStream.range(0, lines.size()).filter(k -> lines.get(k).contains(hash)).findFirst()
          .orElseThrow(() -> new AssertionError("no row for " + hash + ":\n" + local.out()));
      String line = lines.get(at);
      assertEquals(i + 2, at, "rows in publication order, after the header and its rule:\n" + local.out());
      assertTrue(line.contains(p.policy().policyId()) && line.contains(p.policy().dataset().toString()), line);
      assertTrue(line.contains(" " + expected.get(i) + " "), "policy " + i + " is " + expected.get(i) + ": " + line);
    }

    try (ApiServer api = new ApiServer(dir)) {
      CliRun remote = CliRun.of(dir, "policy", "list", "--server", api.base.replaceFirst("/api$", ""));
      assertEquals(0, remote.exit(), remote.toString());
      assertEquals(local.out(), remote.out(), "the server's table is the local one");
    }
  }

  @Test
  void anEmptyCatalogueSaysSoAndAMissingDataDirectoryIsRefused() {
    io.covenant.coordinator.deployment.LocalDeployment.open(dir).close();
    CliRun none = CliRun.of(dir, "policy", "list");
    assertEquals(0, none.exit(), none.toString());
    assertTrue(none.out().startsWith("no policies published yet"), none.out());

    CliRun missing = CliRun.of(dir.resolve("typo"), "policy", "list");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("no data directory at"), missing.err());
    assertFalse(java.nio.file.Files.exists(dir.resolve("typo")));
  }
}
