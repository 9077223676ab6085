package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.SubmissionRejectedException;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ForgedSubmissionIsNotRecorded {
  @TempDir Path dir;

  @Test
  void aSubmissionSignedWithAnotherKeyLeavesNoTrace() {
    try (SmallFederation f = new SmallFederation(dir, 300)) {
      var d = f.deployment;
      long before = d.ledger().size();
      JobRequest request = new JobRequest(JobId.random(), HospitalInsurerDemo.INSURER, f.versions, Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
      var event = new AuditEvent.JobSubmitted(request.id(), request.consumer(), request.datasets(), request.engine(), request.purpose(),
          request.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));
      SignedEvent forged = SignedEvent.sign(event, request.consumer(), SigningKey.generate(), Instant.now());
      var e = assertThrows(SubmissionRejectedException.class, () -> d.coordinator().submit(request, forged));
      assertTrue(e.getMessage().contains("signature"), e.getMessage());
      assertEquals(before, d.ledger().size());
      assertTrue(d.store().job(request.id()).isEmpty());
    }
  }

  @Test
  void aSignedSubmissionForADifferentQueryIsRefused() {
    try (SmallFederation f = new SmallFederation(dir, 300)) {
      var d = f.deployment;
      var consumer = d.keystore(HospitalInsurerDemo.INSURER).credentials();
      JobRequest request = new JobRequest(JobId.random(), consumer.org(), f.versions, Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery(HospitalInsurerDemo.SINGLING_OUT_SQL));
      var signedForOther = new AuditEvent.JobSubmitted(request.id(), consumer.org(), f.versions, Engine.TEE, new Purpose("risk-model"),
          new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL).hash(io.covenant.core.crypto.CryptoSuite.INTL));
      SignedEvent s = SignedEvent.sign(signedForOther, consumer.org(), consumer.signingKey(), Instant.now());
      assertThrows(SubmissionRejectedException.class, () -> d.coordinator().submit(request, s));
      assertTrue(d.store().job(request.id()).isEmpty());
    }
  }
}
