package io.covenant.ledger.verify;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.merkle.MerkleProofs;
import io.covenant.ledger.merkle.MerkleTree;
import java.util.List;
import java.util.Optional;

/**
 * Hybrid mode's check: an embedded log's export is consistent with every checkpoint the log anchored on chain. The
 * chain is the witness the operator cannot rewrite, so a log that was truncated or rewritten after an anchor, then
 * re-signed by its operator, still contradicts the anchor.
 *
 * <p>For each anchor (RFC 9162 section 2.1.4): its signature verifies and it is by the export's log key (or the key
 * the auditor pins); it covers no more entries than the export holds; and the consistency proof from the anchored
 * tree to the export's tree, built from the export's own leaves, verifies against both roots, i.e. the first
 * {@code treeSize} entries of the export are exactly the entries the anchor committed to.
 *
 * <p>Run {@link LedgerVerifier} on the export as well: this checks the export against the chain, not the entries
 * against each other.
 */
public final class ChainAnchors {
  private ChainAnchors() {}

  /** Checks {@code export} against every anchor, trusting the log key of the export's own checkpoint. */
  public static AnchorReport verify(LedgerExport export, List<ChainAnchor> anchors) {
    return verify(export, anchors, export.checkpoint().logKey());
  }

  /** Checks {@code export} against every anchor; each anchor must be signed by {@code trustedLogKey}. */
  public static AnchorReport verify(LedgerExport export, List<ChainAnchor> anchors, VerifyingKey trustedLogKey) {
    List<LedgerEntry> entries = export.entries();
    MerkleTree tree = MerkleTree.of(entries.isEmpty() ? io.covenant.core.crypto.CryptoSuite.INTL : entries.get(0).suite(),
        entries.stream().map(LedgerEntry::leafHash).toList());
    long n = tree.size();
    Digest root = tree.root();
    for (ChainAnchor a : anchors) {
      SignedCheckpoint cp = a.checkpoint();
      String at = "the checkpoint of " + cp.treeSize() + " entries anchored in block " + a.blockNumber() + " (transaction " + a.transaction() + "): ";
      if (!cp.logKey().equals(trustedLogKey)) {
        return fail(n, anchors.size(), at + "it is signed by log key " + cp.logKey().shortForm() + "…, not the log key " + trustedLogKey.shortForm()
            + "… of this ledger: it belongs to another log, or the log key was replaced");
      }
      if (!cp.verify()) return fail(n, anchors.size(), at + "its signature does not verify: the anchor was forged");
      if (cp.treeSize() > n) {
        return fail(n, anchors.size(), at + "the export holds only " + n + " entries: entries the log had already committed to on chain are missing (the log was truncated)");
      }
      List<Digest> path = tree.consistencyPath(cp.treeSize(), n);
      if (!MerkleProofs.verifyConsistency(tree.suite(), cp.treeSize(), n, cp.rootHash(), root, path)) {
        return fail(n, anchors.size(), at + "the export's first " + cp.treeSize() + " entries have Merkle root " + tree.root(cp.treeSize()).shortForm()
            + "…, but the chain holds " + cp.rootHash().shortForm() + "…: the log was rewritten after it was anchored");
      }
    }
    return new AnchorReport(n, anchors.size(), Optional.empty());
  }

  private static AnchorReport fail(long entries, int anchors, String why) {
    return new AnchorReport(entries, anchors, Optional.of(why));
  }

  /**
   * What {@link ChainAnchors#verify} found.
   *
   * @param entries how many entries the export holds
   * @param anchors how many anchors were checked
   * @param failure the first anchor the export contradicts, and how
   */
  public record AnchorReport(long entries, int anchors, Optional<String> failure) {
    public AnchorReport {
      failure = failure == null ? Optional.empty() : failure;
    }

    public boolean ok() {
      return failure.isEmpty();
    }

    @Override
    public String toString() {
      return failure.map(f -> "FAILED: " + f).orElse("OK: " + entries + " entries consistent with " + anchors + " chain anchors");
    }
  }
}
