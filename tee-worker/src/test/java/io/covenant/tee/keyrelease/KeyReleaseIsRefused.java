package io.covenant.tee.keyrelease;

import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.Measurement;
import io.covenant.core.job.Engine;
import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal names its reason, releases nothing and records nothing. */
class KeyReleaseIsRefused {
  @TempDir Path dir;

  private static KeyReleaseRefusedException refused(KeyReleaseSetup s, KeyService service, KeyReleaseRequest request, Reason reason) {
    long before = s.consortium.ledger.size();
    KeyReleaseRefusedException x = assertThrows(KeyReleaseRefusedException.class, () -> service.release(request));
    assertEquals(reason, x.reason(), x.getMessage());
    boolean onTheLedger = reason != Reason.NOT_OWNER && reason != Reason.JOB_FINISHED;
    assertEquals(before + (onTheLedger ? 1 : 0), s.consortium.ledger.size(),
        "a refusal of a running job's key is recorded (once); one for another owner's dataset or an ended job is not");
    if (onTheLedger) {
      var last = s.consortium.ledger.entries(before, before + 1).get(0).event();
      assertEquals(s.owner.org(), last.actor(), "the owner signs its own refusal");
      var refusal = assertInstanceOf(AuditEvent.KeyReleaseRefused.class, last.event());
      assertEquals(KeyReleaseRefusedException.wireName(reason), refusal.reason());
      assertEquals(x.getMessage(), refusal.explanation());
    }
    return x;
  }

  @Test
  void whenTheLedgerHoldsNoAuthorisation() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.NOT_AUTHORIZED);
      assertTrue(x.getMessage().contains("JOB_AUTHORIZED"), x.getMessage());
    }
  }

  @Test
  void whenTheJobWasAuthorisedUnderAPolicyTheOwnerHasSinceReplaced() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      s.consortium.publishPolicy(s.owner, s.datasetId(), 50);
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.POLICY_SUPERSEDED);
      assertTrue(x.getMessage().contains("current policy"), x.getMessage());
    }
  }

  @Test
  void whenTheJobWasAuthorisedBySomeoneOtherThanTheTrustedOperator() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      // The consumer is registered on the same ledger and signs a JOB_AUTHORIZED for its own job.
      var policy = s.consortium.owners.get(s.owner.org()).policies.get(s.datasetId());
      s.consortium.append(s.consortium.consumer, new AuditEvent.JobAuthorized(s.job.id(),
          List.of(new AuditEvent.PolicyBinding(s.request().dataset(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL)))));
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.NOT_AUTHORIZED);
      assertTrue(x.getMessage().contains("accepts authorisations only from coordinator"), x.getMessage());
    }
  }

  @Test
  void whenTheJobWasDenied() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.append(s.consortium.coordinator, new AuditEvent.JobDenied(s.job.id(), List.of("purpose not allowed")));
      refused(s, s.consortium.keyService(s.owner), s.request(), Reason.NOT_AUTHORIZED);
    }
  }

  @Test
  void whenThePolicyRefusesSimulation() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.publishPolicy(s.owner, s.datasetId(), false, List.of(SimulatedAttestationProvider.codeMeasurement()), 5);
      s.consortium.authorize(s.job);
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.SIMULATION_NOT_ALLOWED);
      assertTrue(x.getMessage().contains("SIMULATED"), x.getMessage());
    }
  }

  @Test
  void whenTheMeasurementIsNotAllowListed() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.publishPolicy(s.owner, s.datasetId(), true, List.of(new Measurement("0f".repeat(48))), 5);
      s.consortium.authorize(s.job);
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.MEASUREMENT_NOT_ALLOWED);
      assertTrue(x.getMessage().contains(SimulatedAttestationProvider.codeMeasurement().hex()), x.getMessage());
    }
  }

  @Test
  void whenTheEvidenceIsBoundToAnotherEnclaveKey() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      AttestationEvidence forOtherKey = s.request().evidence(); // bound to s.enclave
      KeyReleaseRequest swapped = new KeyReleaseRequest(s.job.id(), s.dataset, forOtherKey, HpkeKeyPair.generate().publicKey(),
          s.consortium.authorisationOf(s.job));
      // The nonce covers the enclave key, so evidence made for another key carries another nonce.
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), swapped, Reason.STALE_NONCE);
      assertTrue(x.getMessage().contains("for another enclave key"), x.getMessage());
    }
  }

  @Test
  void whenTheOwnerDoesNotTrustSimulationAtAll() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      AttestationVerifier hardwareOnly = new AttestationVerifier(Map.of(), Duration.ofMinutes(10), s.consortium.clock);
      refused(s, s.consortium.keyService(s.owner, s.owner.kek, hardwareOnly), s.request(), Reason.ATTESTATION_INVALID);
    }
  }

  @Test
  void whenTheDatasetBelongsToAnotherOwner() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      Consortium.Owner other = s.consortium.owner("hospital-b");
      DatasetVersion theirs = DatasetVersion.parse("hospital-b/claims@1");
      s.consortium.publish(other, theirs, Claims.SCHEMA, Claims.rows("b", 10, 2));
      s.consortium.publishPolicy(other, theirs.dataset(), 5);
      s.consortium.authorize(s.job);
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(theirs), Reason.NOT_OWNER);
      assertTrue(x.getMessage().contains("hospital-b"), x.getMessage());
    }
  }

  @Test
  void whenTheJobHasAlreadyCommittedItsResult() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      KeyService service = s.consortium.keyService(s.owner);
      service.release(s.request());
      s.consortium.append(s.consortium.coordinator, new AuditEvent.ResultCommitted(
          s.job.id(), Digest.sha256(new byte[] {1}), Engine.TEE, Optional.of(SimulatedAttestationProvider.codeMeasurement()), true,
          List.of(s.consortium.manifestOf(s.dataset)), 1, 0));
      refused(s, service, s.request(), Reason.JOB_FINISHED);
    }
  }

  @Test
  void whenTheJobHasFailed() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      s.consortium.append(s.consortium.coordinator, new AuditEvent.JobFailed(s.job.id(), "compute", "worker lost"));
      refused(s, s.consortium.keyService(s.owner), s.request(), Reason.JOB_FINISHED);
    }
  }

  @Test
  void whenTheOwnerRevokedThePolicy() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      var policy = s.owner.policies.get(s.datasetId());
      s.consortium.append(s.owner.credentials, new AuditEvent.PolicyRevoked(s.datasetId(), policy.id(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), "consent withdrawn"));
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.POLICY_REVOKED);
      assertTrue(x.getMessage().contains("revoked"), x.getMessage());
    }
  }

  @Test
  void whenTheOwnerHasNoRecordOfTheBoundPolicy() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      s.owner.publishedPolicies.clear(); // the owner's own records do not hold it, whatever the coordinator says
      KeyReleaseRefusedException x = refused(s, s.consortium.keyService(s.owner), s.request(), Reason.POLICY_NOT_PUBLISHED);
      assertTrue(x.getMessage().contains("never published"), x.getMessage());
    }
  }
}
