package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.job.Engine;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eight threads append at once (sharing fsyncs): every entry lands once, in a valid chain, with valid proofs. */
class ConcurrentAppendsAllLand {
  private static final int THREADS = 8;
  private static final int JOBS_PER_THREAD = 60;

  @TempDir Path dir;

  @Test
  void everyAppendIsPresentOnceAndProvable() throws Exception {
    Scenario s = new Scenario();
    SigningKey logKey = SigningKey.generate();
    List<LedgerEntry> acknowledged = Collections.synchronizedList(new ArrayList<>());
    int setup;
    // Small segments, so segment roll-over happens under contention too.
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, logKey, 64 * 1024)) {
      List<SignedEvent> initial = s.setup();
      setup = initial.size();
      for (SignedEvent e : initial) ledger.append(e);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          start.await();
          for (int j = 0; j < JOBS_PER_THREAD; j++) {
            JobId job = JobId.random();
            acknowledged.add(ledger.append(s.submitted(job, Engine.MPC)));
            acknowledged.add(ledger.append(s.sign(s.operator, new AuditEvent.JobDenied(job, List.of("no policy allows it")))));
          }
          return null;
        }));
      }
      for (Future<?> f : done) f.get();
      pool.shutdown();

      int total = setup + THREADS * JOBS_PER_THREAD * 2;
      assertEquals(total, ledger.size());
      TreeMap<Long, LedgerEntry> byIndex = new TreeMap<>();
      for (LedgerEntry e : acknowledged) assertEquals(null, byIndex.put(e.index(), e), "index " + e.index() + " handed out twice");
      assertEquals(setup, byIndex.firstKey());
      assertEquals(total - 1, byIndex.lastKey());

      List<LedgerEntry> stored = ledger.entries(0, total);
      for (LedgerEntry e : acknowledged) assertEquals(e, stored.get((int) e.index()), "what append returned is what the log holds");
      SignedCheckpoint cp = ledger.checkpoint();
      for (LedgerEntry e : stored) assertTrue(ledger.proveInclusion(e.index(), total).verify(e.leafHash(), cp.rootHash()), "entry " + e.index());
      assertTrue(LedgerDirectory.segments(dir).size() > 1, "segments rolled over");

      Path export = dir.resolveSibling(dir.getFileName() + "-export.jsonl");
      ledger.export(export);
      VerificationReport report = LedgerVerifier.verify(LedgerExport.read(export), logKey.verifyingKey());
      assertTrue(report.ok(), report.toString());
      assertEquals(THREADS * JOBS_PER_THREAD, report.jobs());
    }
    try (EmbeddedLedger reopened = EmbeddedLedger.open(dir, logKey, 64 * 1024)) {
      assertEquals(setup + THREADS * JOBS_PER_THREAD * 2, reopened.size());
    }
  }
}
