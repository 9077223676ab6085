package io.covenant.tee.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Evidence made for one job but anchored to another job's authorisation (a coordinator that hands the worker the
 * wrong JOB_AUTHORIZED entry, say the fresher-looking one of a job authorised later, or a worker that reuses a nonce
 * across jobs) is refused as {@code stale-nonce}, for each kind of evidence: whether the request names the other
 * entry, or names this job's entry while its evidence carries the other's nonce, or names this job's position with a
 * leaf hash the owner's copy of the ledger does not hold.
 */
class EvidenceBoundToAnotherJobsAuthorisationIsRefused {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void aRequestNamingAnotherJobsAuthorisationIsRefused(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, 100)) {
      JobRequest job = s.authorisedJob();
      JobRequest other = s.authorisedJob();
      HpkeKeyPair session = HpkeKeyPair.generate();
      KeyReleaseRequest bound = s.kinds.request(kind, job, s.dataset, session, s.anchorOf(other), Clock.systemUTC());
      var x = s.refused(s.keys(), bound, Reason.STALE_NONCE);
      assertTrue(x.getMessage().contains("which is the JOB_AUTHORIZED of job " + other.id()), x.getMessage());
      assertTrue(x.getMessage().contains("the job's JOB_AUTHORIZED is " + s.anchorOf(job)), x.getMessage());
      assertEquals(0, s.releases(job).size());
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void evidenceCarryingAnotherJobsNonceIsRefused(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, 100)) {
      JobRequest other = s.authorisedJob();
      JobRequest job = s.authorisedJob();
      HpkeKeyPair session = HpkeKeyPair.generate();
      byte[] otherNonce = KeyReleaseRequest.reportData(job.id(), s.dataset, session.publicKey(), s.anchorOf(other));
      KeyReleaseRequest request = new KeyReleaseRequest(job.id(), s.dataset, s.kinds.attest(kind, otherNonce, Clock.systemUTC()), session.publicKey(),
          s.anchorOf(job));
      var x = s.refused(s.keys(), request, Reason.STALE_NONCE);
      assertTrue(x.getMessage().contains("the evidence carries nonce " + s.anchorOf(other).nonce(io.covenant.core.crypto.CryptoSuite.INTL, session.publicKey().fingerprint()).shortForm()),
          x.getMessage());
      assertEquals(0, s.releases(job).size());
    }
  }

  @ParameterizedTest
  @EnumSource(EvidenceKinds.Kind.class)
  void anAuthorisationEntryTheOwnersLedgerDoesNotHoldIsRefused(EvidenceKinds.Kind kind) {
    try (FreshnessSetup s = new FreshnessSetup(dir, kind, 100)) {
      JobRequest other = s.authorisedJob();
      JobRequest job = s.authorisedJob();
      HpkeKeyPair session = HpkeKeyPair.generate();
      // This job's position, another entry's leaf: what a worker shown another ledger would bind.
      AuthorisationEntry forged = new AuthorisationEntry(s.anchorOf(job).index(), s.anchorOf(other).leafHash());
      KeyReleaseRequest request = s.kinds.request(kind, job, s.dataset, session, forged, Clock.systemUTC());
      var x = s.refused(s.keys(), request, Reason.STALE_NONCE);
      assertTrue(x.getMessage().contains("the worker was shown another ledger"), x.getMessage());
      assertEquals(0, s.releases(job).size());
    }
  }
}
