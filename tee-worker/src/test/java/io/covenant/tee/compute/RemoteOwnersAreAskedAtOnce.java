package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.EventType;
import io.covenant.core.job.Engine;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When every input's key service is another process (an owner's node), the worker asks all owners at once: each
 * owner's key service here waits until all three have been asked before it answers, which a worker asking one owner
 * after another would never reach (the barrier would break). Each owner still decides alone, its
 * ATTESTATION_VERIFIED and KEY_RELEASED land as one consecutive pair in whatever order the owners finish, and the
 * ledger verifies. A refusal by one owner is the job's failure, thrown only after every request under way has ended.
 */
class RemoteOwnersAreAskedAtOnce {
  private static final String SQL = "SELECT COUNT(*) AS claims FROM claims";

  /** An owner's in-process key service, presented as remote, that answers only once all owners have been asked. */
  static final class AskedTogether implements KeyService {
    private final KeyService owner;
    private final CyclicBarrier allAsked;
    private final AtomicInteger answered;

    AskedTogether(KeyService owner, CyclicBarrier allAsked, AtomicInteger answered) {
      this.owner = owner;
      this.allAsked = allAsked;
      this.answered = answered;
    }

    @Override
    public SealedMessage release(KeyReleaseRequest request) {
      try {
        allAsked.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
        throw new AssertionError("the owners were not all asked at once (" + e.getClass().getSimpleName() + ")", e);
      }
      try {
        return owner.release(request);
      } finally {
        answered.incrementAndGet();
      }
    }

    @Override
    public boolean remote() {
      return true;
    }
  }

  /** {@code job} with each input's key service ({@code services}, in input order) presented as another process's, answering together. */
  static TeeJob askedTogether(TeeJob job, List<KeyService> services, AtomicInteger answered) {
    CyclicBarrier barrier = new CyclicBarrier(job.inputs().size());
    List<InputDataset> inputs = new ArrayList<>();
    for (int i = 0; i < job.inputs().size(); i++) {
      InputDataset in = job.inputs().get(i);
      inputs.add(new InputDataset(in.version(), in.manifestCid(), in.ownerKey(), new AskedTogether(services.get(i), barrier, answered), in.policy()));
    }
    return new TeeJob(job.request(), inputs, job.consumerKey(), job.authorisation());
  }

  @Test
  void threeOwnersReleaseAtOnceAndTheTrailVerifies(@TempDir Path dir) {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      TeeJob plain = world.authorisedJob(SQL);
      AtomicInteger answered = new AtomicInteger();
      TeeJob job = askedTogether(plain, plain.inputs().stream().map(InputDataset::keyService).toList(), answered);

      SealedResult result = new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job);
      assertEquals(3, answered.get());
      ResultTable table = ResultTable.open(result.sealed(), world.consortium.consumerKeys(), job.request().id());
      assertEquals(String.valueOf(3 * ThreeHospitals.ROWS_PER_HOSPITAL), String.valueOf(table.rows().get(0).get(0)));

      List<LedgerEntry> entries = world.consortium.ledger.entriesForJob(job.request().id());
      for (var owner : world.consortium.owners.values()) {
        List<LedgerEntry> own = entries.stream().filter(e -> e.event().actor().equals(owner.org())).toList();
        assertEquals(List.of(EventType.ATTESTATION_VERIFIED, EventType.KEY_RELEASED), own.stream().map(e -> e.event().event().type()).toList(),
            owner.org() + " decided once and recorded its release");
        assertEquals(own.get(0).index() + 1, own.get(1).index(), owner.org() + "'s two events were appended as one batch, with nothing between them");
      }
      world.consortium.append(world.consortium.coordinator, new AuditEvent.ResultCommitted(
          job.request().id(), result.resultHash(), Engine.TEE, Optional.of(result.measurement()), result.simulated(),
          result.inputManifests(), result.rows(), result.suppressedGroups()));
      Path export = dir.resolve("ledger-export.jsonl");
      world.consortium.ledger.export(export);
      VerificationReport report = LedgerVerifier.verify(LedgerExport.read(export));
      assertTrue(report.ok(), report.toString());
    }
  }

  @Test
  void aRefusalFailsTheJobOnlyAfterEveryOwnerAnswered(@TempDir Path dir) {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      TeeJob plain = world.authorisedJob(SQL);
      List<KeyService> services = new ArrayList<>(plain.inputs().stream().map(InputDataset::keyService).toList());
      services.set(1, request -> {
        throw new KeyReleaseRefusedException(KeyReleaseRefusedException.Reason.POLICY_REVOKED, "hospital-b refuses: test");
      });
      AtomicInteger answered = new AtomicInteger();
      TeeJob job = askedTogether(plain, services, answered);

      var refused = assertThrows(KeyReleaseRefusedException.class,
          () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job));
      assertEquals(KeyReleaseRefusedException.Reason.POLICY_REVOKED, refused.reason());
      // The worker returned only after all three owners answered: no release can be recorded after the job's end.
      assertEquals(3, answered.get());
      List<LedgerEntry> entries = world.consortium.ledger.entriesForJob(job.request().id());
      assertEquals(2, entries.stream().filter(e -> e.event().event().type() == EventType.KEY_RELEASED).count());
      assertFalse(entries.stream().anyMatch(e -> e.event().actor().value().equals("hospital-b") && e.event().event().type() == EventType.KEY_RELEASED));
    }
  }
}
