package io.covenant.ledger.verify;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.merkle.MerkleTree;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The auditor's check of an exported ledger, offline and without trusting whoever ran the log. In entry order,
 * stopping at the first failure:
 *
 * <ol>
 *   <li>entry indexes run 0, 1, 2, ... without gaps or repeats;
 *   <li>each entry's {@code previous} is the leaf hash of the entry before it (zeros for entry 0);
 *   <li>each event's signature verifies against its actor's key from that actor's ORG_REGISTERED earlier in the log
 *       (registrations are self-signed; an organisation registers once);
 *   <li>the event is lawful at that point of its job's life ({@link AuditRules});
 * </ol>
 *
 * then the checkpoint: its signature verifies (and, if given, it is by the log key the auditor trusts), its size is
 * the number of entries, and the RFC 9162 Merkle root over all leaves equals its root.
 */
public final class LedgerVerifier {
  private LedgerVerifier() {}

  /** Verifies the export against the log key named in its own checkpoint. */
  public static VerificationReport verify(LedgerExport export) {
    return verify(export, Optional.empty());
  }

  /**
   * Verifies the export and also that its checkpoint is signed by {@code trustedLogKey}: without a pinned key, whoever
   * can rewrite the whole export (re-registering every organisation with keys of their own) can also re-sign it.
   */
  public static VerificationReport verify(LedgerExport export, VerifyingKey trustedLogKey) {
    return verify(export, Optional.of(trustedLogKey));
  }

  private static VerificationReport verify(LedgerExport export, Optional<VerifyingKey> trustedLogKey) {
    List<LedgerEntry> entries = export.entries();
    long jobs = countJobs(entries);
    AuditRules rules = new AuditRules();
    MerkleTree tree = new MerkleTree();
    Digest previous = LedgerEntry.NO_PREVIOUS;
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry e = entries.get(i);
      String type = e.event().event().type().name();
      String at = "entry " + i + " (" + type + "): ";
      if (e.index() != i) {
        String why = e.index() > i
            ? "entry " + e.index() + " stands where entry " + i + " belongs: entries were removed or reordered"
            : "entry " + e.index() + " appears again at position " + i + ": entries were duplicated or reordered";
        return fail(entries, jobs, i, type, at + why);
      }
      if (!e.previous().equals(previous)) {
        String why = i == 0
            ? "the first entry must link to nothing (all zeros) but links to " + e.previous().shortForm() + "…: the log's beginning was cut off"
            : "it does not link to entry " + (i - 1) + " (expected previous " + previous.shortForm() + "…, found " + e.previous().shortForm()
                + "…): an earlier entry was altered, removed or reordered";
        return fail(entries, jobs, i, type, at + why);
      }
      String badSignature = checkSignature(e.event(), rules);
      if (badSignature != null) return fail(entries, jobs, i, type, at + badSignature);
      String unlawful = rules.apply(e.event(), i);
      if (unlawful != null) return fail(entries, jobs, i, type, at + unlawful);
      Digest leaf = e.leafHash();
      tree.append(leaf);
      previous = leaf;
    }
    SignedCheckpoint cp = export.checkpoint();
    String cpFailure = checkCheckpoint(cp, tree, trustedLogKey);
    if (cpFailure != null) return new VerificationReport(entries.size(), jobs, Optional.of(new VerificationReport.Failure(-1, VerificationReport.CHECKPOINT, cpFailure)));
    return new VerificationReport(entries.size(), jobs, Optional.empty());
  }

  private static String checkSignature(SignedEvent s, AuditRules rules) {
    OrgId actor = s.actor();
    if (s.event() instanceof AuditEvent.OrgRegistered reg) {
      if (!reg.org().equals(actor)) return "it registers " + reg.org() + " but is signed as " + actor + ": an organisation registers only itself";
      Optional<Long> earlier = rules.registeredAt(reg.org());
      if (earlier.isPresent()) return reg.org() + " was already registered at entry " + earlier.get() + ": an organisation registers once";
      if (!s.verifiedBy(reg.signingKey())) return "the registration of " + actor + " is not signed by the key it registers: the entry was altered or forged";
      return null;
    }
    Optional<VerifyingKey> key = rules.signingKey(actor);
    if (key.isEmpty()) return "it is signed by " + actor + ", which has no ORG_REGISTERED earlier in the log";
    if (!s.verifiedBy(key.get())) return "signature by " + actor + " does not verify: the entry was altered or forged";
    return null;
  }

  private static String checkCheckpoint(SignedCheckpoint cp, MerkleTree tree, Optional<VerifyingKey> trusted) {
    String head = "checkpoint (" + cp.treeSize() + " entries, signed at " + cp.at() + "): ";
    if (trusted.isPresent() && !trusted.get().equals(cp.logKey())) {
      return head + "it is signed by log key " + cp.logKey().shortForm() + "…, not the trusted log key " + trusted.get().shortForm()
          + "…: this export does not come from the log you trust";
    }
    if (!cp.verify()) return head + "its signature by log key " + cp.logKey().shortForm() + "… does not verify: the checkpoint was altered or forged";
    if (cp.treeSize() != tree.size()) {
      return head + (cp.treeSize() > tree.size()
          ? "the export holds only " + tree.size() + " entries: entries at the end are missing"
          : "the export holds " + tree.size() + " entries, more than the log vouched for: entries were added after it was signed");
    }
    Digest root = tree.root();
    if (!root.equals(cp.rootHash())) {
      return head + "the Merkle root over the entries is " + root.shortForm() + "… but the checkpoint says " + cp.rootHash().shortForm()
          + "…: entries were altered after the checkpoint was signed";
    }
    return null;
  }

  private static VerificationReport fail(List<LedgerEntry> entries, long jobs, long index, String type, String reason) {
    return new VerificationReport(entries.size(), jobs, Optional.of(new VerificationReport.Failure(index, type, reason)));
  }

  private static long countJobs(List<LedgerEntry> entries) {
    Set<Object> jobs = new HashSet<>();
    for (LedgerEntry e : entries) {
      if (e.event().event() instanceof AuditEvent.JobSubmitted js) jobs.add(js.jobId());
    }
    return jobs.size();
  }
}
