package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
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

/**
 * A job that fails after the owners' keys were released costs what a job that commits costs: one use and epsilon of
 * each policy, debited when it was authorised and never refunded. Otherwise a consumer could retry failing probes for
 * free, and the budget would count only the answers it liked.
 */
class FailureAfterKeyReleaseIsDebitedLikeAResult {
  @TempDir Path dir;

  @Test
  void aFailedRunSpendsTheSameUsesAndEpsilonAsACommittedOne() throws IOException {
    try (SmallFederation f = new SmallFederation(dir, 300)) {
      ObservedOutcome committed = ObservedOutcome.of(f, HospitalInsurerDemo.STATISTICS_SQL);
      assertEquals(JobState.COMMITTED, committed.state(), committed.reasons().toString());

      var d = f.deployment;
      var record = d.store().dataset(f.versions.get(2)).orElseThrow();
      var owner = d.ledger().organisation(record.version().owner()).orElseThrow().signingKey();
      Cid shard = new DatasetReader(d.blockstore()).manifest(record.manifest(), owner).manifest().shards().get(0).cid();
      Path file;
      try (Stream<Path> s = Files.walk(dir.resolve("blocks"))) {
        file = s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().contains(shard.toString())).findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length / 2] ^= 0x40;
      Files.write(file, bytes);

      ObservedOutcome failed = ObservedOutcome.of(f, HospitalInsurerDemo.STATISTICS_SQL);
      assertEquals(JobState.FAILED, failed.state());
      assertEquals(EventType.JOB_FAILED, failed.lastEvent());
      assertEquals(committed.usesDebited(), failed.usesDebited());
      assertEquals(committed.epsilonDebited(), failed.epsilonDebited());
      assertEquals(3, failed.usesDebited());
    }
  }
}
