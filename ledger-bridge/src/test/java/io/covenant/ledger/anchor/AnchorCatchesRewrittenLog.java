package io.covenant.ledger.anchor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.evm.AuditContract;
import io.covenant.ledger.evm.EvmAddress;
import io.covenant.ledger.evm.EvmTestNode;
import io.covenant.ledger.verify.ChainAnchor;
import io.covenant.ledger.verify.ChainAnchors;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;

/**
 * Hybrid mode: the embedded log anchors its checkpoints on chain; an operator who later rewrites or truncates its
 * own log, and re-signs it with its own log key so LedgerVerifier alone is satisfied, still contradicts the anchors.
 */
@Tag("evm")
@ExtendWith(EvmTestNode.class)
class AnchorCatchesRewrittenLog {

  @Test
  void rewrittenAndTruncatedLogsContradictTheChain(EvmTestNode.Running node, @TempDir Path tmp) {
    Scenario s = new Scenario();
    Credentials admin = node.accounts.get(0);
    Credentials operator = node.accounts.get(5);
    EvmAddress address = AuditContract.deploy(node.endpoint(), admin);
    List<SignedEvent> history = s.lawfulHistory();
    try (AuditContract contract = AuditContract.at(node.endpoint(), address)) {
      contract.addMember(admin, s.operator.org(), EvmAddress.of(operator));
      try (AnchoredLedger ledger = AnchoredLedger.open(tmp.resolve("log"), s.operator.signingKey(), contract, operator, 10, Duration.ofMinutes(10))) {
        for (SignedEvent e : history.subList(0, 12)) ledger.append(e);
        ChainAnchor first = ledger.anchorNow().orElseThrow();
        assertEquals(12, first.checkpoint().treeSize());
        for (SignedEvent e : history.subList(12, history.size())) ledger.append(e);
      } // close anchors the final checkpoint
      List<ChainAnchor> anchors = contract.anchors();
      assertTrue(anchors.size() >= 2, "anchors: " + anchors);
      assertEquals(history.size(), anchors.get(anchors.size() - 1).checkpoint().treeSize());

      LedgerExport honest = LedgerExport.ofLedgerDirectory(tmp.resolve("log"));
      assertTrue(LedgerVerifier.verify(honest, s.operator.signingKey().verifyingKey()).ok());
      var ok = ChainAnchors.verify(honest, anchors, s.operator.signingKey().verifyingKey());
      assertTrue(ok.ok(), ok.toString());

      // The operator swaps the denied job (entries 23-24) for another, equally lawful one and re-signs the log.
      List<SignedEvent> rewritten = new ArrayList<>(history.subList(0, 23));
      rewritten.addAll(s.deniedJob(JobId.random()));
      rewritten.addAll(history.subList(25, history.size()));
      assertEquals(history.size(), rewritten.size());
      LedgerExport forged = rebuild(tmp.resolve("forged"), s, rewritten);
      assertTrue(LedgerVerifier.verify(forged, s.operator.signingKey().verifyingKey()).ok(), "the rewrite fools the offline verifier on its own");
      var caught = ChainAnchors.verify(forged, anchors, s.operator.signingKey().verifyingKey());
      assertFalse(caught.ok());
      assertTrue(caught.failure().orElseThrow().contains("the log was rewritten after it was anchored"), caught.toString());

      LedgerExport truncated = rebuild(tmp.resolve("truncated"), s, history.subList(0, 20));
      var cut = ChainAnchors.verify(truncated, anchors, s.operator.signingKey().verifyingKey());
      assertTrue(cut.failure().orElseThrow().contains("the log was truncated"), cut.toString());
    }
  }

  private static LedgerExport rebuild(Path dir, Scenario s, List<SignedEvent> events) {
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : events) l.append(e);
      SignedCheckpoint cp = l.checkpoint();
      List<LedgerEntry> entries = l.entries(0, cp.treeSize());
      return new LedgerExport(entries, cp);
    }
  }
}
