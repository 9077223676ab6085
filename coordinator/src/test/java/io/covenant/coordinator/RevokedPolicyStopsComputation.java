package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.EventType;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevokedPolicyStopsComputation {
  @TempDir Path dir;

  @Test
  void aRevokedPolicyDeniesLaterJobsUntilANewOneIsPublished() {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      var a = HospitalInsurerDemo.HOSPITALS.get(0).org();
      var claimsA = f.versions.get(0).dataset();
      assertThrows(CovenantException.class, () -> f.deployment.owner(HospitalInsurerDemo.HOSPITALS.get(1).org()).revokePolicy(claimsA, "not mine"));
      f.deployment.owner(a).revokePolicy(claimsA, "consent withdrawn by the ethics board");
      assertTrue(f.deployment.ledger().entries(0, f.deployment.ledger().size()).stream()
          .anyMatch(e -> e.event().event().type() == EventType.POLICY_REVOKED));

      JobOutcome denied = f.submit(HospitalInsurerDemo.STATISTICS_SQL);
      assertEquals(JobState.DENIED, denied.state());
      assertTrue(denied.reasons().stream().anyMatch(r -> r.startsWith("hospital-a/claims@1: policy: no policy is in force")), denied.reasons().toString());
      assertThrows(CovenantException.class, () -> f.deployment.owner(a).revokePolicy(claimsA, "twice"));

      f.deployment.owner(a).publishPolicy(PolicyVariants.demoPolicyWith(a, "minCohort", 20));
      assertEquals(JobState.COMMITTED, f.submit(HospitalInsurerDemo.STATISTICS_SQL).state());
      f.deployment.ledger().checkpoint();
      assertTrue(LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(f.deployment.ledgerDir())).ok());
    }
  }
}
