package io.covenant.ledger.verify;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.merkle.MerkleProofs;
import io.covenant.ledger.merkle.MerkleTree;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The second half of {@link LedgerVerifier}: every signed tree head an auditor holds, checked against the verified
 * entries.
 *
 * <p>Locating the first changed entry. A root over m entries that no longer matches proves that some entry below m
 * changed, but a root alone cannot say which. Every other tree head the verifier holds and still matches is the root
 * of a prefix that did not change, so the first changed entry lies between the largest such prefix and m. The bound
 * is sound only if that matching head is at least as trustworthy as the mismatching one: an operator who rewrites
 * its log can sign new heads that match the rewrite. So a head signed only by the log key narrows a mismatch of
 * another operator-only head, but a mismatch of a witnessed head or of the auditor's kept checkpoint is narrowed only
 * by witnessed or kept heads. When the bounds leave one entry it is named; otherwise the range is named, and a
 * checkpoint kept more often (or witnessed more often) narrows it next time. (A hash-chain break, the usual result
 * of editing one entry without the operator's help, is found earlier and names the entry directly.)
 */
final class TreeHeads {
  private static final int OPERATOR = 0;
  private static final int WITNESSED = 1;
  private static final int AUDITOR = 2;
  /** A chain anchor is as independent of the operator as a witness quorum: the chain would have to be rewritten too. */
  private static final int ANCHORED = WITNESSED;

  /** A tree head with where it came from and how far it is trusted. */
  private record Head(SignedCheckpoint cp, String label, int trust) {}

  private final LedgerExport export;
  private final AuditorTrust trust;
  private final MerkleTree tree;
  private final long jobs;
  private final long n;

  TreeHeads(LedgerExport export, AuditorTrust trust, MerkleTree tree, long jobs) {
    this.export = export;
    this.trust = trust;
    this.tree = tree;
    this.jobs = jobs;
    this.n = tree.size();
  }

  VerificationReport check() {
    SignedCheckpoint latest = export.checkpoint();
    VerifyingKey logKey = trust.trustedLogKey().orElse(latest.logKey());
    List<Head> heads = new ArrayList<>();
    heads.add(new Head(latest, "the latest checkpoint", OPERATOR));
    for (SignedCheckpoint cp : export.history()) heads.add(new Head(cp, "the checkpoint", OPERATOR));
    Optional<Consortium> consortium = trust.consortium();
    List<CosignedCheckpoint> witnessed = merged(export.witnessed());
    for (CosignedCheckpoint w : witnessed) {
      List<String> by = consortium.map(c -> c.validCosigners(w)).orElse(w.cosignatures().stream().map(c -> c.witness()).toList());
      boolean quorum = consortium.map(c -> c.quorumMet(w)).orElse(false);
      heads.add(new Head(w.checkpoint(), "the checkpoint cosigned by " + (by.isEmpty() ? "no listed witness" : String.join(", ", by)), quorum ? WITNESSED : OPERATOR));
    }
    trust.since().ifPresent(s -> heads.add(new Head(s.checkpoint(), "the checkpoint you kept (--since)", AUDITOR)));
    for (ChainAnchor a : trust.anchors()) {
      heads.add(new Head(a.checkpoint(), "the checkpoint anchored in block " + a.blockNumber() + " (transaction " + a.transaction() + ")", ANCHORED));
    }

    // 1. Every head is by the trusted log key, records the consortium's suite, and its signature holds.
    for (Head h : heads) {
      String head = describe(h);
      if (h.cp().suite() != tree.suite()) {
        return checkpointFailure(head + "it claims the " + h.cp().suite().id() + " crypto suite, but the consortium runs on " + tree.suite().id()
            + ": a ledger never mixes suites, so this checkpoint is not the consortium's log's");
      }
      if (!h.cp().logKey().equals(logKey)) {
        String whose = trust.trustedLogKey().isPresent() ? "the trusted log key " : "the log key of the latest checkpoint ";
        return checkpointFailure(head + "it is signed by log key " + h.cp().logKey().shortForm() + "…, not " + whose + logKey.shortForm()
            + "…: this export does not come from the log you trust");
      }
      if (!h.cp().verify()) return checkpointFailure(head + "its signature by log key " + h.cp().logKey().shortForm() + "… does not verify: the checkpoint was altered or forged");
    }
    // 2. No head covers more than the log holds: otherwise entries were cut off (a rollback), the most trusted head first.
    Optional<Head> beyond = heads.stream().filter(h -> h.cp().treeSize() > n)
        .max(Comparator.comparingInt(Head::trust).thenComparingLong(h -> h.cp().treeSize()));
    if (beyond.isPresent()) {
      Head h = beyond.get();
      String rollback = h.trust() == OPERATOR ? "" : "rolled back: ";
      return fail(n, "", describe(h) + rollback + "the export holds only " + n + " entries: entries at the end are missing (entries " + n + " to "
          + (h.cp().treeSize() - 1) + " were removed)");
    }
    // 3. Every head's root is the root of the first treeSize entries (for the kept checkpoint, by a consistency proof).
    List<Head> good = new ArrayList<>();
    List<Head> bad = new ArrayList<>();
    for (Head h : heads) (matches(h) ? good : bad).add(h);
    if (!bad.isEmpty()) {
      Head worst = bad.stream().max(Comparator.comparingInt(Head::trust).thenComparingLong(h -> -h.cp().treeSize())).orElseThrow();
      return rewritten(worst, good);
    }
    long checkpointed = heads.stream().mapToLong(h -> h.cp().treeSize()).max().orElse(0);
    // 4. A quorum of the consortium's witnesses cosigned some checkpoint.
    // A consortium that pinned its root but has formed no witnesses yet (quorum 0) asks for no cosignatures.
    if (consortium.isEmpty() || consortium.get().witnesses().isEmpty()) return new VerificationReport(n, jobs, Optional.empty(), checkpointed, -1, List.of());
    Consortium c = consortium.get();
    Optional<CosignedCheckpoint> best = witnessed.stream().filter(c::quorumMet).max(Comparator.comparingLong(w -> w.checkpoint().treeSize()));
    if (best.isPresent()) {
      return new VerificationReport(n, jobs, Optional.empty(), checkpointed, best.get().checkpoint().treeSize(), c.validCosigners(best.get()));
    }
    Optional<CosignedCheckpoint> closest = witnessed.stream()
        .max(Comparator.comparingInt((CosignedCheckpoint w) -> c.validCosigners(w).size()).thenComparingLong(w -> w.checkpoint().treeSize()));
    String need = "no checkpoint is cosigned by a quorum of the consortium's witnesses (" + c.quorum() + " of " + c.witnesses().size() + ")";
    String why = closest
        .map(w -> ": the best, of " + w.checkpoint().treeSize() + " entries signed at " + w.checkpoint().at() + ", is cosigned by "
            + (c.validCosigners(w).isEmpty() ? "none of them" : String.join(", ", c.validCosigners(w))) + "; missing cosignatures from "
            + String.join(", ", c.missing(w)))
        .orElse(": the export carries no witnessed checkpoint; missing cosignatures from " + String.join(", ", c.witnesses().stream().map(Consortium.Member::name).toList()));
    return new VerificationReport(n, jobs, Optional.of(new VerificationReport.Failure(-1, VerificationReport.CHECKPOINT,
        need + why + ". A log its witnesses have not cosigned (or refused to cosign) may be a rewrite; have the operator run 'covenant ledger checkpoint' so the witnesses check and cosign it")),
        checkpointed, 0, List.of());
  }

  /** Cosignatures of one checkpoint may arrive in separate records (one per witness); count them together. */
  static List<CosignedCheckpoint> merged(List<CosignedCheckpoint> records) {
    java.util.Map<SignedCheckpoint, CosignedCheckpoint> byCheckpoint = new java.util.LinkedHashMap<>();
    for (CosignedCheckpoint r : records) byCheckpoint.merge(r.checkpoint(), r, (a, b) -> a.with(b.cosignatures()));
    return List.copyOf(byCheckpoint.values());
  }

  private boolean matches(Head h) {
    long m = h.cp().treeSize();
    if (h.trust() == AUDITOR) {
      // RFC 9162 section 2.1.4: the kept tree must be a prefix of today's, proven from today's own leaves.
      return MerkleProofs.verifyConsistency(tree.suite(), m, n, h.cp().rootHash(), tree.root(n), tree.consistencyPath(m, n));
    }
    return tree.root(m).equals(h.cp().rootHash());
  }

  private VerificationReport rewritten(Head worst, List<Head> good) {
    long m = worst.cp().treeSize();
    List<Digest> kept = trust.sinceLeaves();
    for (int i = 0; i < Math.min(m, kept.size()); i++) {
      if (!tree.leaf(i).equals(kept.get(i))) {
        // The auditor's own kept leaves: the first that differs is the first changed entry, exactly.
        LedgerEntry e = export.entries().get(i);
        return fail(i, e.event().event().type().name(), "entry " + i + " (" + e.event().event().type().name()
            + ") differs from the same entry in the export you kept (leaf " + kept.get(i).shortForm() + "… then, " + tree.leaf(i).shortForm()
            + "… now), so " + describe(worst) + "no longer matches: the log was rewritten from entry " + i + " on");
      }
    }
    long from = good.stream().filter(g -> g.trust() >= worst.trust() && g.cp().treeSize() < m).mapToLong(g -> g.cp().treeSize()).max().orElse(0);
    String what = worst.trust() == AUDITOR
        ? "the RFC 9162 consistency proof from it to today's " + n + " entries fails: the log was rewritten since you kept it (a fork)"
        : worst.label().startsWith("the checkpoint anchored")
            ? "the Merkle root over the first " + m + " entries is now " + tree.root(m).shortForm() + "… but the chain holds "
                + worst.cp().rootHash().shortForm() + "…: the log was rewritten after it was anchored (a fork)"
        : worst.trust() == WITNESSED
            ? "the Merkle root over the first " + m + " entries is now " + tree.root(m).shortForm() + "… but the witnesses cosigned "
                + worst.cp().rootHash().shortForm() + "…: the log was rewritten after the witnesses saw it (a fork)"
            : "the Merkle root over the first " + m + " entries is " + tree.root(m).shortForm() + "… but the checkpoint says "
                + worst.cp().rootHash().shortForm() + "…: entries were altered after the checkpoint was signed";
    if (m - from == 1) {
      LedgerEntry e = export.entries().get((int) from);
      return fail(from, e.event().event().type().name(),
          "entry " + from + " (" + e.event().event().type().name() + ") is the first entry that differs from what " + describe(worst).replace(": ", "") + " vouched for: " + what);
    }
    return fail(from, "", describe(worst) + what + "; the first changed entry is one of entries " + from + " to " + (m - 1)
        + " (the largest equally trusted tree head that still matches covers " + from + " entries)");
  }

  private static String describe(Head h) {
    return h.label() + " (" + h.cp().treeSize() + " entries, signed at " + h.cp().at() + "): ";
  }

  private VerificationReport checkpointFailure(String reason) {
    return new VerificationReport(n, jobs, Optional.of(new VerificationReport.Failure(-1, VerificationReport.CHECKPOINT, reason)));
  }

  private VerificationReport fail(long index, String type, String reason) {
    String t = type.isEmpty() && index >= 0 && index < n ? export.entries().get((int) index).event().event().type().name() : type;
    return new VerificationReport(n, jobs, Optional.of(new VerificationReport.Failure(index, t.isEmpty() ? VerificationReport.CHECKPOINT : t, reason)));
  }
}
