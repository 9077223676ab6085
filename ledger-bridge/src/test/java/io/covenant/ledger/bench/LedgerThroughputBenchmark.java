package io.covenant.ledger.bench;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the embedded ledger on this machine. Not part of the default build; run with
 * {@code -Dcovenant.excluded.groups=none -Dgroups=benchmark -Dtest=LedgerThroughputBenchmark}. Prints, asserts nothing
 * about speed (no timed assertions), but does check every append landed.
 */
@Tag("benchmark")
class LedgerThroughputBenchmark {
  private static final int EVENTS = Integer.getInteger("bench.events", 200_000);
  private static final int APPENDERS = Integer.getInteger("bench.appenders", 512);

  @Test
  void durableSignedAppendsAndProofs() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    OrgCredentials owner = OrgCredentials.generate(OrgId.of("hospital-a"));
    DatasetId claims = DatasetId.parse("hospital-a/claims");
    Instant t = Instant.parse("2026-11-21T10:00:00Z");

    long s0 = System.nanoTime();
    List<SignedEvent> events = IntStream.range(0, EVENTS).parallel()
        .mapToObj(i -> SignedEvent.sign(new AuditEvent.PolicyPublished(claims, "p-" + i, Digest.sha256(Integer.toString(i).getBytes())), owner.org(), owner.signingKey(), t))
        .toList();
    report("Ed25519 signatures made (client side, all cores)", EVENTS, s0);

    // The ceiling: append must check each actor signature, so it cannot beat Ed25519 verification on these cores.
    var key = owner.signingKey().verifyingKey();
    long c0 = System.nanoTime();
    long verified = events.parallelStream().filter(e -> e.verifiedBy(key)).count();
    report("Ed25519 verifications alone (all cores): the ceiling for signed appends", verified, c0);

    Path dir = Files.createTempDirectory("ledger-bench");
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir, SigningKey.generate())) {
      ledger.append(SignedEvent.sign(owner.registration("Hospital A", "data-owner"), owner.org(), owner.signingKey(), t));
      AtomicInteger next = new AtomicInteger();
      long a0 = System.nanoTime();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < APPENDERS; i++) {
          done.add(pool.submit(() -> {
            for (int k = next.getAndIncrement(); k < EVENTS; k = next.getAndIncrement()) ledger.append(events.get(k));
            return null;
          }));
        }
        for (Future<?> f : done) f.get();
      }
      report("durable signed appends (" + APPENDERS + " concurrent appenders, " + cores + " cores, group commit)", EVENTS, a0);
      if (ledger.size() != EVENTS + 1) throw new AssertionError("expected " + (EVENTS + 1) + " entries, found " + ledger.size());

      SignedCheckpoint cp = ledger.checkpoint();
      int proofs = 100_000;
      long p0 = System.nanoTime();
      List<InclusionProof> made = new ArrayList<>(proofs);
      for (int i = 0; i < proofs; i++) made.add(ledger.proveInclusion((i * 7919L) % cp.treeSize(), cp.treeSize()));
      report("inclusion proofs generated (tree of " + cp.treeSize() + ")", proofs, p0);

      List<LedgerEntry> sample = ledger.entries(0, 1000);
      long v0 = System.nanoTime();
      int ok = 0;
      for (int i = 0; i < proofs; i++) {
        LedgerEntry e = sample.get(i % sample.size());
        if (ledger.proveInclusion(e.index(), cp.treeSize()).verify(e.leafHash(), cp.rootHash())) ok++;
      }
      report("inclusion proofs generated and verified", proofs, v0);
      if (ok != proofs) throw new AssertionError(proofs - ok + " proofs failed");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void report(String what, long n, long startNanos) {
    double secs = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf("%-90s %,12.0f /s  (%,d in %.2f s)%n", what, n / secs, n, secs);
  }
}
