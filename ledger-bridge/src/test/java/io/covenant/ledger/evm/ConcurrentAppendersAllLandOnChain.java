package io.covenant.ledger.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight appenders, four per organisation, each organisation with its own client and account, append at once: every
 * event lands exactly once, each appender's events in the order it appended them, with the indexes append returned,
 * and the export verifies, on every node kind. This used to stall Ganache (eth_estimateGas timing out, a transaction
 * never mined).
 */
@Tag("evm")
@ExtendWith(EvmTestNode.class)
class ConcurrentAppendersAllLandOnChain {
  private static final int APPENDERS_PER_ORG = 4;
  private static final int EVENTS_PER_APPENDER = 15;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("io.covenant.ledger.evm.EvmTestNode#kinds")
  void eightAppendersAcrossTwoOrganisations(EvmTestNode.Kind kind, @TempDir Path tmp) throws Exception {
    EvmTestNode.Running node = EvmTestNode.of(kind);
    ChainFixture f = new ChainFixture(node);
    try (EvmLedger a = f.clientOf(f.s.hospitalA); EvmLedger b = f.clientOf(f.s.hospitalB)) {
      for (SignedEvent e : f.s.setup()) {
        if (e.actor().equals(f.s.hospitalA.org())) a.append(e);
        else if (e.actor().equals(f.s.hospitalB.org())) b.append(e);
      }
      long before = a.size();
      List<List<SignedEvent>> perAppender = new ArrayList<>();
      for (int t = 0; t < 2 * APPENDERS_PER_ORG; t++) {
        OrgCredentials org = t % 2 == 0 ? f.s.hospitalA : f.s.hospitalB;
        var dataset = t % 2 == 0 ? f.s.claimsA.dataset() : f.s.claimsB.dataset();
        List<SignedEvent> mine = new ArrayList<>();
        for (int k = 0; k < EVENTS_PER_APPENDER; k++) {
          String name = "appender-" + t + "-policy-" + k;
          mine.add(f.s.sign(org, new AuditEvent.PolicyPublished(dataset, name, Digest.sha256(name.getBytes(StandardCharsets.UTF_8)))));
        }
        perAppender.add(mine);
      }
      List<LedgerEntry> returned = Collections.synchronizedList(new ArrayList<>());
      assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
        try (ExecutorService pool = Executors.newFixedThreadPool(perAppender.size())) {
          List<Future<List<LedgerEntry>>> done = new ArrayList<>();
          for (int t = 0; t < perAppender.size(); t++) {
            EvmLedger client = t % 2 == 0 ? a : b;
            List<SignedEvent> mine = perAppender.get(t);
            done.add(pool.submit(() -> {
              List<LedgerEntry> out = new ArrayList<>();
              for (SignedEvent e : mine) out.add(client.append(e));
              return out;
            }));
          }
          for (int t = 0; t < done.size(); t++) {
            List<LedgerEntry> got = done.get(t).get();
            for (int k = 1; k < got.size(); k++) {
              assertTrue(got.get(k - 1).index() < got.get(k).index(), "appender " + t + "'s events are in the order it appended them");
            }
            for (int k = 0; k < got.size(); k++) assertEquals(perAppender.get(t).get(k), got.get(k).event());
            returned.addAll(got);
          }
        }
      }, "8 concurrent appenders did not finish");

      int total = 2 * APPENDERS_PER_ORG * EVENTS_PER_APPENDER;
      try (EvmLedger auditor = f.reader(node.endpoint())) {
        assertEquals(before + total, auditor.size(), "every event landed exactly once");
        List<LedgerEntry> read = auditor.entries(0, auditor.size());
        Set<SignedEvent> distinct = new HashSet<>();
        for (LedgerEntry e : read) assertTrue(distinct.add(e.event()), "entry " + e.index() + " is a duplicate");
        for (LedgerEntry e : returned) assertEquals(e, read.get((int) e.index()), "append returned what the chain holds at " + e.index());
        Path export = tmp.resolve("concurrent.jsonl");
        auditor.export(export);
        VerificationReport r = LedgerVerifier.verify(LedgerExport.read(export), f.s.operator.signingKey().verifyingKey());
        assertTrue(r.ok(), r.toString());
        assertEquals(before + total, r.entries());
      }
    }
  }
}
