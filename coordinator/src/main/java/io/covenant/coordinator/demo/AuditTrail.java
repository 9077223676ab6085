package io.covenant.coordinator.demo;

import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.LedgerEntry;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Collectors;

/** Ledger entries as a table a person reads: one line per fact, ids and hashes shortened. */
public final class AuditTrail {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  private AuditTrail() {}

  public static String render(List<LedgerEntry> entries) {
    TextTable t = TextTable.withHeaders("#", "time (UTC)", "event", "signed by", "what it says").maxCellWidth(130);
    for (LedgerEntry e : entries) {
      t.row(e.index(), TIME.format(e.event().issuedAt()), e.event().event().type().name(), e.event().actor(), describe(e.event().event()));
    }
    return t.render();
  }

  /** The policies by owner and hash, and the debits: once when every binding debits the same, else per binding. */
  private static String authorised(AuditEvent.JobAuthorized a) {
    java.util.function.Function<AuditEvent.Debit, String> debit = d -> Plural.of(d.uses(), "use") + ", epsilon " + d.epsilon().toPlainString();
    boolean same = a.recordsDebits() && a.policies().stream().map(AuditEvent.PolicyBinding::debit).distinct().count() == 1;
    if (!a.recordsDebits()) {
      return "authorised by " + a.policies().stream().map(b -> b.dataset().owner() + " policy " + b.policyHash().shortForm()).collect(Collectors.joining(", "));
    }
    if (same) {
      // Three owners' policies and the debit fit the trail's column only without the word "policy" per binding.
      return "authorised by " + a.policies().stream().map(b -> b.dataset().owner() + " " + b.policyHash().shortForm()).collect(Collectors.joining(", "))
          + "; debits " + debit.apply(a.policies().get(0).debit().orElseThrow()) + (a.policies().size() > 1 ? " each" : "");
    }
    return "authorised by " + a.policies().stream()
        .map(b -> b.dataset().owner() + " policy " + b.policyHash().shortForm() + " (" + debit.apply(b.debit().orElseThrow()) + ")")
        .collect(Collectors.joining(", "));
  }

  public static String describe(AuditEvent event) {
    return switch (event) {
      case AuditEvent.OrgRegistered r -> r.displayName() + " (" + r.role() + "), key " + r.signingKey().shortForm()
          + r.certificate().map(c -> ", certified by " + c.issuerName()).orElse("");
      case AuditEvent.OrgRevoked r -> "certificate of " + r.org() + " revoked: " + r.reason();
      case AuditEvent.DatasetPublished d -> d.dataset() + ": " + Plural.of(d.rows(), "row") + " in " + Plural.of(d.shards(), "shard") + ", manifest " + d.manifest();
      case AuditEvent.PolicyPublished p -> p.policyId() + " for " + p.dataset() + ", hash " + p.policyHash().shortForm();
      case AuditEvent.PolicyRevoked p -> p.policyId() + " revoked: " + p.reason();
      case AuditEvent.JobSubmitted s -> s.engine().wireName() + " job on " + Plural.of(s.datasets().size(), "dataset") + " for " + s.purpose()
          + ", computation " + s.computationHash().shortForm();
      case AuditEvent.JobAuthorized a -> authorised(a);
      case AuditEvent.JobDenied d -> String.join("; ", d.reasons());
      case AuditEvent.ApprovalGiven a -> (a.approved() ? "approved" : "rejected") + " use of " + a.dataset();
      case AuditEvent.AttestationVerified a -> (a.simulated() ? "SIMULATED evidence (no hardware protection)" : a.provider() + " evidence")
          + ", measurement " + a.measurement().shortForm();
      case AuditEvent.KeyReleased k -> "key of " + k.dataset() + " sealed to enclave key " + k.recipientKey().shortForm()
          + ", measurement " + k.measurement().shortForm() + (k.simulated() ? " (SIMULATED)" : "")
          + k.freshness().map(f -> ", nonce of entry " + f.authorisation()).orElse("");
      case AuditEvent.ComputationStarted c -> c.engine().wireName() + c.measurement().map(m -> ", measurement " + m.shortForm()).orElse("")
          + (c.simulated().orElse(false) ? ", SIMULATED TEE" : "");
      case AuditEvent.ResultCommitted r when r.engine() == io.covenant.core.job.Engine.MPC -> "result " + r.resultHash().shortForm()
          + ": sealed to the consumer, who alone opens it"
          + (r.outputRows() > 0 ? "; " + Plural.of(r.outputRows(), "matched id") + " (the owners' policies put the count on the ledger)" : "");
      case AuditEvent.ResultCommitted r when r.engine() == io.covenant.core.job.Engine.FL -> "result " + r.resultHash().shortForm()
          + ": federated model " + r.modelHash().map(Digest::shortForm).orElse("?") + " sealed to the consumer";
      case AuditEvent.FlRoundCompleted f -> "round " + f.round() + ": " + f.participants() + " summed (masked)"
          + (f.dropped().isEmpty() ? "" : ", dropped " + f.dropped()) + (f.declined().isEmpty() ? "" : ", declined " + f.declined())
          + ", model " + f.globalModelHash().shortForm() + ", aggregate " + f.aggregateHash().shortForm();
      case AuditEvent.ResultCommitted r when r.modelHash().isPresent() -> "result " + r.resultHash().shortForm() + ": trained model "
          + r.modelHash().get().shortForm() + " on " + Plural.of(r.outputRows(), "row") + (r.simulated() ? ", SIMULATED TEE" : "");
      case AuditEvent.ResultCommitted r -> "result " + r.resultHash().shortForm() + ", " + Plural.of(r.outputRows(), "row") + ", "
          + Plural.of(r.suppressedGroups(), "group") + " suppressed" + (r.simulated() ? ", SIMULATED TEE" : "");
      case AuditEvent.KeyReleaseRefused r -> "key of " + r.dataset() + " refused (" + r.reason() + "): " + r.explanation();
      case AuditEvent.InputShared i -> i.dataset() + " secret-shared by its owner's node: " + i.rows() + " rows, " + i.sharedValues() + " values into " + i.committee()
          + (i.security() == io.covenant.core.job.MpcSecurity.MALICIOUS ? ", malicious-secure (SPDZ)" : "");
      case AuditEvent.CiphertextRecorded c -> switch (c.role()) {
        case MODEL -> "encrypted model " + c.ciphertextHash().shortForm() + " (under the consumer's job key; the secret key stays at its node)";
        case KEYS -> "public key " + c.ciphertextHash().shortForm() + " for the job (the secret key stays at the consumer's node)";
        case SCORES -> "encrypted scores " + c.ciphertextHash().shortForm() + " of " + c.dataset().orElseThrow() + " (" + Plural.of(c.rows(), "row") + ")";
        case INPUT -> "encrypted aggregate " + c.ciphertextHash().shortForm() + " of " + c.dataset().orElseThrow() + " (" + Plural.of(c.rows(), "row") + " read)";
      };
      case AuditEvent.JobFailed f -> f.stage() + ": " + f.reason();
      case AuditEvent.UsageSettled u -> u.settlement()
          .map(st -> st.amount() + " minor units for " + Plural.of(u.units(), "record") + " of " + u.dataset() + ": " + st.makerAmount() + " to "
              + u.beneficiary() + ", " + st.ownersAmount() + " to " + Plural.of(st.owners(), "owner") + " (root " + st.ownersRoot().shortForm() + ")")
          .orElse(u.units() + " units to " + u.beneficiary() + " for " + u.dataset());
      case AuditEvent.ConsentRecorded c -> "consent " + c.consent().shortForm() + " for " + c.dataset();
      case AuditEvent.LicencePublished l -> "licence " + l.licenceId() + " of " + l.dataset() + " to " + l.consumer() + ": " + l.pricePerJob() + " per job + "
          + l.pricePerVehicleMonth() + " per vehicle-month (" + l.currency() + " minor units), maker keeps " + l.makerShareBasisPoints() + " bp";
    };
  }
}
