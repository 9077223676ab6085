package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the owners are other processes, the worker asks them for their keys while it binds the query against the
 * manifests' schemas (an owner's decision takes a ledger round trip; binding takes a database start), and fetches their
 * sealed shards meanwhile. This plays the consumer who hopes that order turns a wrong query's explanation into the
 * generic failure of a run over data, or leaves a request under way after the job's end:
 *
 * <ul>
 *   <li>a query that does not bind (a column no input has) is refused with the binding's explanation, not the generic
 *       {@link ComputationFailedException} (no data was loaded: the keys that arrived are destroyed unused), and every
 *       owner's request has ended before the worker returns, so no release is recorded after the job's end;
 *   <li>a query that is not an aggregate is still refused before any owner is asked.
 * </ul>
 */
class QueryThatDoesNotBindIsRefusedWithItsReason {

  /** {@code job} with its owners' key services presented as other processes' (all asked at once), counting their answers. */
  private static TeeJob remote(TeeJob job, AtomicInteger answered) {
    return RemoteOwnersAreAskedAtOnce.askedTogether(job, job.inputs().stream().map(InputDataset::keyService).toList(), answered);
  }

  @Test
  void aColumnNoInputHasIsExplainedOnceEveryOwnerAnswered(@TempDir Path dir) {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      AtomicInteger answered = new AtomicInteger();
      TeeJob job = remote(world.authorisedJob("SELECT SUM(no_such_column) AS total FROM claims"), answered);
      TeeWorker worker = new TeeWorker(world.consortium.provider, world.consortium.blockstore);

      QueryRefusedException refused = assertThrows(QueryRefusedException.class, () -> worker.run(job));
      assertTrue(refused.getMessage().contains("no_such_column"), "the refusal names what is wrong with the query: " + refused.getMessage());
      assertEquals(3, answered.get(), "the worker returned only after every owner's request had ended");

      // The same owners and data with a query that binds: the job runs.
      SealedResult ok = new TeeWorker(world.consortium.provider, world.consortium.blockstore)
          .run(remote(world.authorisedJob("SELECT COUNT(*) AS claims FROM claims"), new AtomicInteger()));
      assertEquals(1, ok.rows());
    }
  }

  @Test
  void aRowLevelQueryAsksNoRemoteOwner(@TempDir Path dir) {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      AtomicInteger answered = new AtomicInteger();
      TeeJob job = remote(world.authorisedJob("SELECT * FROM claims"), answered);
      long ledgerBefore = world.consortium.ledger.size();
      assertThrows(QueryRefusedException.class, () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job));
      assertEquals(0, answered.get());
      assertEquals(ledgerBefore, world.consortium.ledger.size(), "no owner recorded anything");
    }
  }
}
