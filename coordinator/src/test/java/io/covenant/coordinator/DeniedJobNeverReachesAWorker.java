package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.dispatch.AuthorizedJob;
import io.covenant.coordinator.dispatch.ComputeEngine;
import io.covenant.coordinator.dispatch.EngineRun;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.EventType;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.storage.blockstore.LocalBlockstore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy check sits in front of dispatch: a denied job must never be handed to an engine. The engine here counts
 * the jobs it is handed; it stands in for the seam, not for a named component under test.
 */
class DeniedJobNeverReachesAWorker {
  @TempDir Path dir;

  private static final class CountingEngine implements ComputeEngine {
    final AtomicInteger handed = new AtomicInteger();

    public Engine engine() {
      return Engine.TEE;
    }

    public Optional<Measurement> measurement() {
      return Optional.empty();
    }

    public boolean simulated() {
      return false;
    }

    public EngineRun run(AuthorizedJob job) {
      handed.incrementAndGet();
      throw new IllegalStateException("a denied job reached the engine");
    }
  }

  @Test
  void policyViolationsStopBeforeDispatch() {
    OrgCredentials operator = OrgCredentials.generate(OrgId.of("covenant-operator"));
    OrgCredentials hospital = OrgCredentials.generate(OrgId.of("hospital-a"));
    OrgCredentials insurer = OrgCredentials.generate(HospitalInsurerDemo.INSURER);
    CountingEngine engine = new CountingEngine();
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("ledger"), operator.signingKey());
        CoordinatorStore store = CoordinatorStore.inMemory()) {
      ledger.append(SignedEvent.sign(operator.registration("operator", AuditEvent.OrgRegistered.OPERATOR), operator.org(), operator.signingKey(), Instant.now()));
      for (OrgCredentials c : List.of(hospital, insurer)) {
        ledger.append(SignedEvent.sign(c.registration(c.org().value(), "member"), c.org(), c.signingKey(), Instant.now()));
      }
      DatasetVersion v = DatasetVersion.parse("hospital-a/claims@1");
      Cid manifest = Cid.raw("stand-in manifest".getBytes());
      ledger.append(SignedEvent.sign(new AuditEvent.DatasetPublished(v, manifest, 10, 1, io.covenant.core.crypto.Digest.sha256(new byte[0])),
          hospital.org(), hospital.signingKey(), Instant.now()));
      store.registerDataset(new DatasetRecord(v, manifest, 10, 1, SyntheticClaims.SCHEMA, Instant.now()));
      Policy policy = Policy.parse(HospitalInsurerDemo.policyFor(hospital.org()));
      ledger.append(SignedEvent.sign(new AuditEvent.PolicyPublished(policy.dataset(), policy.id(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL)),
          hospital.org(), hospital.signingKey(), Instant.now()));
      store.putPolicy(new PolicyRecord(policy.dataset(), policy.id(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), policy.toJson().encode(), Instant.now()));

      JobCoordinator coordinator = new JobCoordinator(store, ledger, new LocalBlockstore(dir.resolve("blocks")), new PolicyEvaluator(),
          List.of(engine), operator, Clock.systemUTC());
      for (String[] attempt : List.of(
          new String[] {HospitalInsurerDemo.SINGLING_OUT_SQL, "risk-model", "tee"},
          new String[] {HospitalInsurerDemo.STATISTICS_SQL, "marketing", "tee"},
          new String[] {HospitalInsurerDemo.STATISTICS_SQL, "risk-model", "fl"}, // the demo policy allows tee and mpc only
          new String[] {"SELECT * FROM claims", "risk-model", "tee"})) {
        JobRequest r = new JobRequest(JobId.random(), insurer.org(), List.of(v), Engine.parse(attempt[2]), new Purpose(attempt[1]),
            new Computation.SqlQuery(attempt[0]));
        var ev = new AuditEvent.JobSubmitted(r.id(), r.consumer(), r.datasets(), r.engine(), r.purpose(), r.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));
        JobOutcome o = coordinator.submit(r, SignedEvent.sign(ev, insurer.org(), insurer.signingKey(), Instant.now()));
        assertEquals(JobState.DENIED, o.state(), String.join(";", attempt));
        assertFalse(o.reasons().isEmpty());
        assertEquals(List.of(EventType.JOB_SUBMITTED, EventType.JOB_DENIED),
            ledger.entriesForJob(r.id()).stream().map(e -> e.event().event().type()).toList());
      }
      assertEquals(0, engine.handed.get());
    }
  }
}
