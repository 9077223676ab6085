package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the owners are other processes, the worker asks them for their keys while it binds the query against the
 * manifests' schemas (an owner's decision takes a ledger round trip; binding takes a database start). This plays the
 * consumer who hopes that order lets a wrong query touch data, or turns its explanation into a generic failure:
 *
 * <ul>
 *   <li>a query that does not bind (a column no input has) is refused with the binding's explanation, every owner's
 *       request has ended before the worker returns (no release is recorded after the job's end), and not one sealed
 *       shard was read: nothing was decrypted with the keys that arrived, which were destroyed;
 *   <li>a query that is not an aggregate is still refused before any owner is asked.
 * </ul>
 */
class QueryThatDoesNotBindDecryptsNothing {

  /** An owner's in-process key service presented as another process's, counting its answers. */
  private record Remote(KeyService owner, AtomicInteger answered) implements KeyService {
    @Override
    public SealedMessage release(KeyReleaseRequest request) {
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

  /** The consortium's block store, noting every block read. */
  private record Watched(Blockstore inner, Set<Cid> read) implements Blockstore {
    @Override
    public Cid put(long codec, byte[] block) {
      return inner.put(codec, block);
    }

    @Override
    public byte[] get(Cid cid) {
      read.add(cid);
      return inner.get(cid);
    }

    @Override
    public boolean has(Cid cid) {
      return inner.has(cid);
    }
  }

  private static TeeJob remote(TeeJob job, AtomicInteger answered) {
    List<InputDataset> inputs = new ArrayList<>();
    for (InputDataset in : job.inputs()) {
      inputs.add(new InputDataset(in.version(), in.manifestCid(), in.ownerKey(), new Remote(in.keyService(), answered), in.policy()));
    }
    return new TeeJob(job.request(), inputs, job.consumerKey(), job.authorisation());
  }

  @Test
  void aColumnNoInputHasIsExplainedAndNoShardIsRead(@TempDir Path dir) {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      AtomicInteger answered = new AtomicInteger();
      TeeJob job = remote(world.authorisedJob("SELECT SUM(no_such_column) AS total FROM claims"), answered);
      Set<Cid> read = ConcurrentHashMap.newKeySet();
      TeeWorker worker = new TeeWorker(world.consortium.provider, new Watched(world.consortium.blockstore, read));

      QueryRefusedException refused = assertThrows(QueryRefusedException.class, () -> worker.run(job));
      assertTrue(refused.getMessage().contains("no_such_column"), "the refusal names what is wrong with the query: " + refused.getMessage());
      assertEquals(3, answered.get(), "the worker returned only after every owner's request had ended");
      Set<Cid> manifests = Set.copyOf(job.inputs().stream().map(InputDataset::manifestCid).toList());
      assertTrue(manifests.containsAll(read) && !read.isEmpty(), "only the manifests were read, no sealed shard: " + read);

      // The same job with a query that binds reads the shards: the watch above can see them.
      AtomicInteger again = new AtomicInteger();
      Set<Cid> readOk = ConcurrentHashMap.newKeySet();
      TeeJob ok = remote(world.authorisedJob("SELECT COUNT(*) AS claims FROM claims"), again);
      new TeeWorker(world.consortium.provider, new Watched(world.consortium.blockstore, readOk)).run(ok);
      assertTrue(readOk.size() > 3, "a query that binds reads its inputs' shards: " + readOk.size() + " blocks");
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
