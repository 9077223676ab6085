package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.coordinator.job.SubmissionRejectedException;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.storage.blockstore.LocalBlockstore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacker sends the same signed submission twice at the same instant, hoping both pass the "job id not used yet"
 * check before either is recorded. The ledger here holds every JOB_SUBMITTED append until a second one arrives (or a
 * moment passes), which opens that window as wide as it can be: without the coordinator's submission lock both copies
 * land on the ledger; with it, exactly one does and the other is refused.
 */
class RacingReplaysRecordTheJobOnce {
  @TempDir Path dir;

  @Test
  void twoCopiesSentTogetherRecordOneJobSubmitted() throws Exception {
    OrgCredentials operator = OrgCredentials.generate(OrgId.of("covenant-operator"));
    OrgCredentials consumer = OrgCredentials.generate(OrgId.of("insurer-x"));
    CyclicBarrier together = new CyclicBarrier(2);
    try (EmbeddedLedger embedded = EmbeddedLedger.open(dir.resolve("ledger"), operator.signingKey());
        CoordinatorStore store = CoordinatorStore.inMemory()) {
      Ledger ledger = new HoldingLedger(embedded, together);
      Instant now = Instant.now();
      ledger.append(SignedEvent.sign(operator.registration("operator", AuditEvent.OrgRegistered.OPERATOR), operator.org(), operator.signingKey(), now));
      ledger.append(SignedEvent.sign(consumer.registration("Insurer X", "data-consumer"), consumer.org(), consumer.signingKey(), now));
      JobCoordinator coordinator = new JobCoordinator(store, ledger, new LocalBlockstore(dir.resolve("blocks")), new PolicyEvaluator(),
          List.of(), operator, Clock.systemUTC());
      JobRequest request = new JobRequest(JobId.random(), consumer.org(), List.of(DatasetVersion.parse("hospital-a/claims@1")), Engine.TEE,
          new Purpose("risk-model"), new Computation.SqlQuery("SELECT COUNT(*) FROM claims"));
      SignedSubmission signed = SignedSubmission.sign(request, consumer, now);

      ExecutorService pool = Executors.newFixedThreadPool(2);
      int accepted = 0, refused = 0;
      try {
        List<Future<?>> sent = List.of(
            pool.submit(() -> coordinator.submit(signed.request(), signed.submission())),
            pool.submit(() -> coordinator.submit(signed.request(), signed.submission())));
        for (Future<?> f : sent) {
          try {
            f.get(60, TimeUnit.SECONDS);
            accepted++;
          } catch (java.util.concurrent.ExecutionException e) {
            assertInstanceOf(SubmissionRejectedException.class, e.getCause(), String.valueOf(e.getCause()));
            assertTrue(e.getCause().getMessage().contains("already submitted"), e.getCause().getMessage());
            refused++;
          }
        }
      } finally {
        pool.shutdownNow();
      }
      long submitted = ledger.entriesForJob(request.id()).stream()
          .filter(e -> e.event().event() instanceof AuditEvent.JobSubmitted).count();
      assertEquals(1, submitted, "one JOB_SUBMITTED on the ledger");
      assertEquals(1, accepted);
      assertEquals(1, refused);
    }
  }

  /** The embedded ledger, except that a JOB_SUBMITTED append waits for a second one (at most a second) first. */
  private record HoldingLedger(EmbeddedLedger inner, CyclicBarrier together) implements Ledger {
    @Override
    public LedgerEntry append(SignedEvent event) {
      if (event.event() instanceof AuditEvent.JobSubmitted) {
        try {
          together.await(1, TimeUnit.SECONDS);
        } catch (TimeoutException | BrokenBarrierException e) {
          // Alone: the other copy is held back by the lock, as it should be.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return inner.append(event);
    }

    @Override public long size() { return inner.size(); }
    @Override public List<LedgerEntry> entries(long from, long to) { return inner.entries(from, to); }
    @Override public List<LedgerEntry> entriesForJob(JobId job) { return inner.entriesForJob(job); }
    @Override public Optional<AuditEvent.OrgRegistered> organisation(OrgId org) { return inner.organisation(org); }
    @Override public io.covenant.ledger.SignedCheckpoint checkpoint() { return inner.checkpoint(); }
    @Override public io.covenant.ledger.InclusionProof proveInclusion(long index, long size) { return inner.proveInclusion(index, size); }
    @Override public io.covenant.ledger.ConsistencyProof proveConsistency(long from, long to) { return inner.proveConsistency(from, to); }
    @Override public void export(Path file) { inner.export(file); }
    @Override public void close() { }
  }
}
