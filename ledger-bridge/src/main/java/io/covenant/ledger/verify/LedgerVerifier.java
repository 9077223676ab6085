package io.covenant.ledger.verify;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.LedgerEntry;
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
 *   <li>every entry claims the consortium's crypto suite ({@link AuditorTrust#suite}), and every registration's keys are
 *       of that suite: a ledger never mixes suites;
 *   <li>entry indexes run 0, 1, 2, ... without gaps or repeats;
 *   <li>each entry's {@code previous} is the leaf hash of the entry before it (zeros for entry 0);
 *   <li>each event's signature verifies against its actor's key from that actor's ORG_REGISTERED earlier in the log
 *       (registrations are self-signed; an organisation registers once), and no event is signed by an organisation
 *       after the ORG_REVOKED of its certificate;
 *   <li>if the auditor's consortium pins a root ({@link Consortium#root}): every ORG_REGISTERED carries a certificate
 *       that chains to that root, names the organisation, is for the key it registers, grants every role it claims and
 *       is valid at the registration's time (no "first registration wins"); every other event's signer's certificate
 *       is valid at the event's time; every ORG_REVOKED is signed by the root's key;
 *   <li>the event is lawful at that point of its job's life ({@link AuditRules});
 * </ol>
 *
 * then every tree head ({@link TreeHeads}): each checkpoint's signature verifies (and, if given, it is by the log key
 * the auditor trusts), it covers no more entries than the log holds, and the RFC 9162 Merkle root over the entries it
 * covers equals its root. Entries after the latest checkpoint are verified like every other and counted as not yet
 * covered. A root that no longer matches is traced to the first entry that changed (see {@link TreeHeads}).
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
    return verify(export, new AuditorTrust(trustedLogKey, Optional.empty(), Optional.empty()));
  }

  /**
   * Verifies every entry, then every tree head against them: the latest checkpoint, the earlier ones, the witnessed
   * ones and the auditor's kept checkpoint ({@link AuditorTrust#since}, by an RFC 9162 section 2.1.4 consistency
   * proof), then, if a consortium is given, that some checkpoint carries a quorum of its witnesses' cosignatures.
   */
  public static VerificationReport verify(LedgerExport export, AuditorTrust trust) {
    List<LedgerEntry> entries = export.entries();
    long jobs = countJobs(entries);
    // The consortium's suite (its root's key, its recorded suite, or the trusted log key's); without any trust, the
    // first entry's, so that at least the log cannot mix suites.
    CryptoSuite suite = trust.suite().orElse(entries.isEmpty() ? CryptoSuite.INTL : entries.get(0).suite());
    AuditRules rules = new AuditRules(suite);
    MerkleTree tree = new MerkleTree(suite);
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
      if (e.suite() != suite) {
        return fail(entries, jobs, i, type, at + "it claims the " + e.suite().id() + " crypto suite, but the consortium runs on " + suite.id()
            + ": a ledger never mixes suites, so this entry was not written by the consortium's log");
      }
      if (e.event().event() instanceof AuditEvent.OrgRegistered reg && (reg.signingKey().suite() != suite || reg.encryptionKey().suite() != suite)) {
        return fail(entries, jobs, i, type, at + "it registers " + reg.org() + " with keys of the " + reg.signingKey().suite().id()
            + " crypto suite, but the consortium runs on " + suite.id() + ": a ledger never mixes suites");
      }
      if (!e.previous().equals(previous)) {
        String why = i == 0
            ? "the first entry must link to nothing (all zeros) but links to " + e.previous().shortForm() + "…: the log's beginning was cut off"
            : "it does not link to entry " + (i - 1) + " (expected previous " + previous.shortForm() + "…, found " + e.previous().shortForm()
                + "…): an earlier entry was altered, removed or reordered";
        return fail(entries, jobs, i, type, at + why);
      }
      String badSignature = checkSignature(e.event(), rules, trust.consortium().flatMap(Consortium::root));
      if (badSignature != null) return fail(entries, jobs, i, type, at + badSignature);
      Digest leaf = e.leafHash();
      String unlawful = rules.apply(e.event(), i, leaf);
      if (unlawful != null) return fail(entries, jobs, i, type, at + unlawful);
      tree.append(leaf);
      previous = leaf;
    }
    Optional<AuditRules.Unresolved> unresolved = rules.unresolved();
    if (unresolved.isPresent()) {
      int i = (int) unresolved.get().index();
      String type = entries.get(i).event().event().type().name();
      return fail(entries, jobs, i, type, "entry " + i + " (" + type + "): " + unresolved.get().reason());
    }
    return new TreeHeads(export, trust, tree, jobs).check();
  }

  private static String checkSignature(SignedEvent s, AuditRules rules, Optional<ConsortiumRoot> root) {
    OrgId actor = s.actor();
    if (s.event() instanceof AuditEvent.OrgRegistered reg) {
      if (!reg.org().equals(actor)) return "it registers " + reg.org() + " but is signed as " + actor + ": an organisation registers only itself";
      Optional<Long> earlier = rules.registeredAt(reg.org());
      if (earlier.isPresent()) return reg.org() + " was already registered at entry " + earlier.get() + ": an organisation registers once";
      if (!s.verifiedBy(reg.signingKey())) return "the registration of " + actor + " is not signed by the key it registers: the entry was altered or forged";
      return root.map(r -> checkCertificate(reg, s, r)).orElse(null);
    }
    Optional<VerifyingKey> key = rules.signingKey(actor);
    if (key.isEmpty()) return "it is signed by " + actor + ", which has no ORG_REGISTERED earlier in the log";
    Optional<AuditRules.Revocation> revoked = rules.revocation(actor);
    if (revoked.isPresent()) {
      return "it is signed by " + actor + ", whose certificate was revoked at entry " + revoked.get().index() + " (ORG_REVOKED: "
          + revoked.get().event().reason() + "): nothing it signs after its revocation counts";
    }
    if (!s.verifiedBy(key.get())) return "signature by " + actor + " does not verify: the entry was altered or forged";
    if (root.isPresent()) {
      Optional<OrgCertificate> cert = rules.certificate(actor);
      if (cert.isEmpty()) return "it is signed by " + actor + ", whose registration carries no certificate from the pinned consortium root";
      Optional<String> problem = root.get().problemWith(cert.get(), actor, key.get(), s.issuedAt());
      if (problem.isPresent()) return "it is signed by " + actor + ", but " + problem.get();
      if (s.event() instanceof AuditEvent.OrgRevoked rev && !root.get().signedRevocation(rev.org(), rev.certificate(), rev.reason(), rev.caSignature())) {
        return "the revocation of " + rev.org() + " is not signed by the consortium root '" + root.get().name()
            + "': only the consortium's certificate authority revokes a certificate";
      }
    }
    return null;
  }

  /** Why a registration is refused under a pinned root, or null: self-registration without the consortium's certificate is not accepted. */
  private static String checkCertificate(AuditEvent.OrgRegistered reg, SignedEvent s, ConsortiumRoot root) {
    if (reg.certificate().isEmpty()) {
      return "the registration of " + reg.org() + " carries no certificate, but the consortium pins root '" + root.name()
          + "': an organisation joins only with a certificate from the consortium's authority (./covenant org enrol)";
    }
    OrgCertificate cert = reg.certificate().get();
    Optional<String> problem = root.problemWith(cert, reg.org(), reg.signingKey(), s.issuedAt());
    if (problem.isPresent()) return "the registration of " + reg.org() + " is refused: " + problem.get();
    for (String role : reg.roles()) {
      if (!cert.roles().contains(role)) {
        return "the registration of " + reg.org() + " claims role " + role + ", which its certificate does not grant (it grants "
            + (cert.roles().isEmpty() ? "none" : String.join(", ", cert.roles())) + ")";
      }
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
