package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's operator edits its own H2 database between runs and resets the usage counters of a policy that
 * allows 2 uses, both spent. The unmodified coordinator then authorises a third job in good faith from its database;
 * the owner counts the debits on the ledger, not in that database, and refuses; the job ends with JOB_FAILED naming
 * the owner and the rule.
 */
class TamperedCoordinatorDatabaseCannotBuyAnExtraKey {
  @TempDir Path dir;

  private JobOutcome submit(LocalDeployment d, LyingCoordinator setup) {
    return d.consumer(LyingCoordinator.INSURER).submit(List.of(setup.claims), Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
  }

  @Test
  void resetUsageCountersDoNotReleaseAThirdKey() throws Exception {
    LyingCoordinator setup = new LyingCoordinator(dir, "maxUses", 2);
    try (setup) {
      assertEquals(JobState.COMMITTED, submit(setup.deployment, setup).state());
      assertEquals(JobState.COMMITTED, submit(setup.deployment, setup).state());
      JobOutcome honest = submit(setup.deployment, setup);
      assertEquals(JobState.DENIED, honest.state(), "the untampered coordinator denies the third use: " + honest.reasons());
    }

    try (var db = DriverManager.getConnection("jdbc:h2:" + dir.toAbsolutePath().resolve("coordinator").resolve("coordinator"), "covenant", "");
        Statement s = db.createStatement()) {
      assertEquals(1, s.executeUpdate("DELETE FROM policy_usage"), "the coordinator's usage record of the policy");
    }

    try (LocalDeployment d = LocalDeployment.open(dir)) {
      JobOutcome third = submit(d, setup);
      assertEquals(JobState.FAILED, third.state(), third.reasons().toString());
      String reason = String.join("; ", third.reasons());
      assertTrue(reason.contains("hospital-a refuses") && reason.contains("allows 2 uses"), reason);

      var events = d.ledger().entriesForJob(third.job()).stream().map(e -> e.event()).toList();
      assertTrue(events.stream().anyMatch(e -> e.event() instanceof AuditEvent.JobAuthorized), "the tampered coordinator did authorise it");
      assertFalse(events.stream().anyMatch(e -> e.event() instanceof AuditEvent.KeyReleased), "no key for the third use");
      assertTrue(events.stream().anyMatch(e -> e.actor().equals(LyingCoordinator.HOSPITAL)
          && e.event() instanceof AuditEvent.KeyReleaseRefused r && r.reason().equals("uses-exhausted")), events.toString());
      var last = events.get(events.size() - 1).event();
      assertTrue(last instanceof AuditEvent.JobFailed f && f.reason().contains("hospital-a"), last.toString());

      d.ledger().checkpoint();
      var failure = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(d.ledgerDir())).failure()
          .orElseThrow(() -> new AssertionError("verify passed the third use of a 2-use policy"));
      assertTrue(failure.reason().contains("overspends policy " + setup.policy.hash(io.covenant.core.crypto.CryptoSuite.INTL).shortForm()), failure.reason());
    }
  }
}
