package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.JobRequest;
import io.covenant.tee.fixture.ThreeHospitals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NonAggregateJobIsRefusedBeforeAnyKeyIsReleased {
  @TempDir Path dir;

  @Test
  void aRowLevelQueryIsRefusedAndNoOwnerIsAskedForAKey() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      TeeJob authorised = world.authorisedJob("SELECT patient_id, diagnosis, cost FROM claims WHERE age > 90");
      AtomicInteger asked = new AtomicInteger();
      List<InputDataset> counted = new ArrayList<>();
      for (InputDataset i : authorised.inputs()) {
        counted.add(new InputDataset(i.version(), i.manifestCid(), i.ownerKey(), request -> {
          asked.incrementAndGet();
          return i.keyService().release(request);
        }, i.policy()));
      }
      TeeJob job = new TeeJob(authorised.request(), counted, authorised.consumerKey(), authorised.authorisation());
      long ledgerBefore = world.consortium.ledger.size();

      QueryRefusedException x = assertThrows(
          QueryRefusedException.class, () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(job));
      assertTrue(x.getMessage().contains("must be an aggregate"), x.getMessage());
      assertEquals(0, asked.get());
      assertEquals(ledgerBefore, world.consortium.ledger.size());
    }
  }

  @Test
  void aQueryOverATableTheJobDoesNotIncludeIsRefused() {
    try (ThreeHospitals world = new ThreeHospitals(dir)) {
      List<DatasetVersion> all = List.copyOf(world.rows.keySet());
      JobRequest request = world.consortium.submit("SELECT count(*) FROM prescriptions", all);
      world.consortium.authorize(request);
      assertThrows(QueryRefusedException.class,
          () -> new TeeWorker(world.consortium.provider, world.consortium.blockstore).run(world.job(request)));
    }
  }
}
