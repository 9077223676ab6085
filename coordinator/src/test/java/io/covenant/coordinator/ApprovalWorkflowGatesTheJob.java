package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.coordinator.job.SubmissionRejectedException;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.EventType;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalWorkflowGatesTheJob {
  @TempDir Path dir;

  @Test
  void aJobWaitsForTheOwnerThenRunsOnApproval() {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      var b = HospitalInsurerDemo.HOSPITALS.get(1).org();
      f.deployment.owner(b).publishPolicy(PolicyVariants.demoPolicyWith(b, "approval", io.covenant.core.codec.Json.obj("required", true)));
      JobOutcome waiting = f.submit(HospitalInsurerDemo.STATISTICS_SQL);
      assertEquals(JobState.AWAITING_APPROVAL, waiting.state());
      assertTrue(waiting.reasons().get(0).contains("job approve " + waiting.job() + " --as hospital-b"), waiting.reasons().toString());
      assertEquals(1, f.deployment.ledger().entriesForJob(waiting.job()).size(), "only JOB_SUBMITTED so far");

      // Nobody but the owner can approve, not even with a correctly shaped event.
      var insurer = f.deployment.keystore(HospitalInsurerDemo.INSURER).credentials();
      var forged = SignedEvent.sign(new AuditEvent.ApprovalGiven(waiting.job(), f.versions.get(1).dataset(), true, "me"),
          insurer.org(), insurer.signingKey(), Instant.now());
      assertThrows(SubmissionRejectedException.class, () -> f.deployment.coordinator().approve(forged));
      assertThrows(CovenantException.class, () -> f.deployment.owner(HospitalInsurerDemo.HOSPITALS.get(0).org())
          .decide(waiting.job(), f.versions.get(1).dataset(), true, ""));

      JobOutcome done = f.deployment.owner(b).decide(waiting.job(), f.versions.get(1).dataset(), true, "fine for risk modelling");
      assertEquals(JobState.COMMITTED, done.state());
      var types = f.deployment.ledger().entriesForJob(waiting.job()).stream().map(e -> e.event().event().type()).toList();
      assertEquals(EventType.APPROVAL_GIVEN, types.get(1));
      assertEquals(EventType.JOB_AUTHORIZED, types.get(2));
      assertThrows(CovenantException.class, () -> f.deployment.owner(b).decide(waiting.job(), f.versions.get(1).dataset(), true, "again"));
      f.deployment.ledger().checkpoint();
      assertTrue(LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(f.deployment.ledgerDir())).ok());
    }
  }

  @Test
  void aRejectionDeniesTheJobAndNamesTheOwner() {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      var c = HospitalInsurerDemo.HOSPITALS.get(2).org();
      f.deployment.owner(c).publishPolicy(PolicyVariants.demoPolicyWith(c, "approval", io.covenant.core.codec.Json.obj("required", true)));
      JobOutcome waiting = f.submit(HospitalInsurerDemo.STATISTICS_SQL);
      JobOutcome denied = f.deployment.owner(c).decide(waiting.job(), f.versions.get(2).dataset(), false, "not this quarter");
      assertEquals(JobState.DENIED, denied.state());
      assertTrue(denied.reasons().get(0).contains("hospital-c rejected the job (not this quarter)"), denied.reasons().toString());
      var types = f.deployment.ledger().entriesForJob(waiting.job()).stream().map(e -> e.event().event().type()).toList();
      assertFalse(types.contains(EventType.KEY_RELEASED));
      assertEquals(EventType.JOB_DENIED, types.get(types.size() - 1));
    }
  }
}
