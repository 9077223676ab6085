package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.cid.Cid;
import io.covenant.core.event.EventType;
import io.covenant.storage.dataset.DatasetReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TamperedShardFailsTheJob {
  @TempDir Path dir;

  @Test
  void aModifiedShardIsNamedAndNoResultIsCommitted() throws IOException {
    try (SmallFederation f = new SmallFederation(dir, 1200)) {
      var d = f.deployment;
      var record = d.store().dataset(f.versions.get(1)).orElseThrow();
      var owner = d.ledger().organisation(record.version().owner()).orElseThrow().signingKey();
      Cid shard = new DatasetReader(d.blockstore()).manifest(record.manifest(), owner).manifest().shards().get(0).cid();
      Path file = findBlockFile(dir.resolve("blocks"), shard);
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x40;
      Files.write(file, bytes);

      JobOutcome o = f.submit(HospitalInsurerDemo.STATISTICS_SQL);
      assertEquals(JobState.FAILED, o.state());
      String reason = String.join(" ", o.reasons());
      assertTrue(reason.contains(shard.toString()) || reason.contains("shard 0"), reason);
      var types = d.ledger().entriesForJob(o.job()).stream().map(e -> e.event().event().type()).toList();
      assertTrue(types.contains(EventType.JOB_FAILED));
      assertFalse(types.contains(EventType.RESULT_COMMITTED));
    }
  }

  private static Path findBlockFile(Path blocks, Cid cid) throws IOException {
    try (Stream<Path> s = Files.walk(blocks)) {
      return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains(cid.toString())).findFirst()
          .orElseThrow(() -> new AssertionError("no file for block " + cid + " under " + blocks));
    }
  }
}
