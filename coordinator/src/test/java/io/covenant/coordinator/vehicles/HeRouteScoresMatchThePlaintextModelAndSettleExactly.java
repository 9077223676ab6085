package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.settlement.OwnerShare;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The HE route's scores are the insurer's plaintext model on the same vehicles' features within the CKKS precision the
 * insurer's probes measured and stated; every HE job's trail holds the insurer's MODEL and the maker's SCORES ciphertext
 * hashes with RESULT_COMMITTED equal to the latter; each job is settled like a TEE job (USAGE_SETTLED with the owners'
 * Merkle root, parts summing exactly, every owner's proof verifying); and {@code verify} passes on the whole trail.
 */
class HeRouteScoresMatchThePlaintextModelAndSettleExactly {

  @Test
  void scoresAreThePlaintextModelWithinTheStatedPrecision() {
    VehicleHeScenario s = VehicleHeScenario.get();
    for (VehiclesDemo.Job j : s.outcome.jobs()) {
      var precision = j.precision().orElseThrow();
      assertTrue(precision.measuredMaxError() <= precision.bound(), "the insurer's probes came out within the bound: " + precision);
      assertTrue(j.plaintextDifference() <= precision.total(), "scores are off the plaintext model by " + j.plaintextDifference() + ", beyond " + precision.total());
      assertTrue(j.plaintextDifference() < 1e-3, "CKKS at scale 2^38 keeps UBI scores to far better than a thousandth: " + j.plaintextDifference());
      assertTrue(j.scores().rows().size() > 0);
    }
    assertTrue(s.printed.contains("largest difference from its plaintext model"), s.printed);
  }

  @Test
  void ciphertextHashesAreOnTheLedgerAndTheResultIsTheMakersScores() {
    VehicleHeScenario s = VehicleHeScenario.get();
    try (LocalDeployment d = s.open()) {
      for (VehiclesDemo.Job j : s.outcome.jobs()) {
        List<LedgerEntry> trail = d.ledger().entriesForJob(j.outcome().job());
        AuditEvent.CiphertextRecorded model = null, scores = null;
        AuditEvent.ResultCommitted committed = null;
        for (LedgerEntry e : trail) {
          if (e.event().event() instanceof AuditEvent.CiphertextRecorded c && c.role() == AuditEvent.CiphertextRecorded.Role.MODEL) {
            assertEquals(j.consumer(), e.event().actor().value(), "the insurer records its encrypted model");
            model = c;
          }
          if (e.event().event() instanceof AuditEvent.CiphertextRecorded c && c.role() == AuditEvent.CiphertextRecorded.Role.SCORES) {
            assertEquals(VehiclesDemo.MAKER, e.event().actor(), "the maker records the encrypted scores");
            scores = c;
          }
          if (e.event().event() instanceof AuditEvent.ResultCommitted r) committed = r;
        }
        assertTrue(model != null && scores != null && committed != null, "model, scores and result are on the ledger for " + j.outcome().job());
        assertEquals(scores.ciphertextHash(), committed.resultHash(), "the committed result is the maker's encrypted scores");
        assertEquals(io.covenant.core.job.Engine.HE, committed.engine());
      }
    }
  }

  @Test
  void settlementsSumExactlyEachOwnerProofVerifiesAndVerifyPasses() {
    VehicleHeScenario s = VehicleHeScenario.get();
    for (VehiclesDemo.Job j : s.outcome.jobs()) {
      var sheet = j.settled().sheet();
      var st = sheet.settlement();
      long owners = sheet.shares().stream().mapToLong(OwnerShare::amount).sum();
      assertEquals(st.ownersAmount(), owners, "the owners' lines sum to the owners' part");
      assertEquals(st.amount(), st.makerAmount() + owners, "the parts sum to the amount");
      for (OwnerShare share : sheet.shares()) {
        assertTrue(sheet.proof(share.owner()).orElseThrow().verify(share.leafHash(), st.ownersRoot()),
            "the proof of " + share.owner() + " verifies against the root on the ledger");
      }
    }
    assertTrue(s.outcome.verified().ok(), "verify passes on the HE route's trail: " + s.outcome.verified().failure());
    assertTrue(s.outcome.statement().proved(), "the owner's statement proves against the ledger");
    try (LocalDeployment d = s.open()) {
      VerificationReport again = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(d.ledgerDir()), AuditorTrust.NONE);
      assertTrue(again.ok(), String.valueOf(again.failure()));
    }
  }
}
