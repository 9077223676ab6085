package io.covenant.coordinator.vehicles;

import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.settlement.OwnerShare;
import io.covenant.policy.consent.ConsentBook;
import io.covenant.policy.consent.OwnerConsent;
import io.covenant.policy.consent.SignedConsent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A vehicle owner's statement: every licensed job on the maker's telemetry, whether it used the vehicle's data, under
 * which consent, and what the owner earned, each line proved against the ledger:
 *
 * <ol>
 *   <li>the owner's line of the settlement verifies by its RFC 9162 inclusion proof against the owners' root that the
 *       job's USAGE_SETTLED carries;
 *   <li>that USAGE_SETTLED entry, and the CONSENT_RECORDED entry of the consent the line was paid under, are in the
 *       ledger by inclusion proofs against the ledger's signed checkpoint (whose signature is checked);
 *   <li>the owner's amount is its pro-rata quota (by records) of the owners' part on the ledger, within one unit;
 *   <li>the consent is the owner's own signed grant for that consumer and purpose, and covered the job's time.
 * </ol>
 *
 * A job that left the vehicle out says why (no grant for that consumer, withdrawn, or a price under the owner's floor).
 */
public final class OwnerStatement {
  /** One line: a job, and what it meant for this vehicle. {@code problem} is empty when every proof held. */
  public record Line(JobId job, String consumer, String at, boolean used, long records, long amount, Optional<Digest> consent, String note,
      Optional<String> problem) {}

  private final String vehicle;
  private final List<Line> lines;
  private final SignedCheckpoint checkpoint;

  private OwnerStatement(String vehicle, List<Line> lines, SignedCheckpoint checkpoint) {
    this.vehicle = vehicle;
    this.lines = List.copyOf(lines);
    this.checkpoint = checkpoint;
  }

  /** The statement of the vehicle {@code vin} from {@code maker}'s records, proved against {@code ledger}. */
  public static OwnerStatement of(VehicleMaker maker, Ledger ledger, String vin) {
    String vehicle = maker.pseudonym(vin);
    SignedCheckpoint cp = ledger.checkpoint();
    boolean checkpointOk = cp.verify();
    Map<Digest, LedgerEntry> consentEntries = new HashMap<>();
    for (LedgerEntry e : ledger.entries(0, cp.treeSize())) {
      if (e.event().event() instanceof AuditEvent.ConsentRecorded c && c.dataset().equals(maker.dataset())) consentEntries.put(c.consent(), e);
    }
    ConsentBook book = maker.consents();
    List<Line> lines = new ArrayList<>();
    Map<io.covenant.core.id.DatasetVersion, Boolean> inVersion = new HashMap<>();
    for (VehicleMaker.KeptSettlement s : maker.settlements()) {
      Optional<LedgerEntry> settled = ledger.entriesForJob(s.job()).stream()
          .filter(e -> e.event().event() instanceof AuditEvent.UsageSettled u && u.settlement().isPresent() && u.dataset().equals(maker.dataset()))
          .findFirst();
      Optional<OwnerShare> share = s.sheet().share(vehicle);
      String at = s.at().toString().substring(0, 16).replace('T', ' ');
      if (share.isEmpty()) {
        boolean hasRecords = inVersion.computeIfAbsent(s.dataset(), v -> maker.recordsPerVehicle(v).containsKey(vehicle));
        String why = hasRecords ? whyLeftOut(book, vehicle, s) : "not used: no records of the vehicle in " + s.dataset();
        lines.add(new Line(s.job(), s.consumer().value(), at, false, 0, 0, Optional.empty(), why, Optional.empty()));
        continue;
      }
      Digest grant = s.grants().get(vehicle);
      List<String> problems = new ArrayList<>();
      if (!checkpointOk) problems.add("the ledger's checkpoint signature does not verify");
      if (settled.isEmpty()) problems.add("no USAGE_SETTLED for job " + s.job() + " on the ledger");
      settled.ifPresent(entry -> {
        AuditEvent.Settlement st = ((AuditEvent.UsageSettled) entry.event().event()).settlement().orElseThrow();
        InclusionProof own = s.sheet().proof(vehicle).orElseThrow();
        if (own.treeSize() != st.owners() || !own.verify(share.get().leafHash(), st.ownersRoot())) {
          problems.add("the owner's line does not verify against the owners' root " + st.ownersRoot().shortForm() + "… of entry " + entry.index());
        }
        // The owner's fair share: its quota of the owners' part, by records, within the one unit largest-remainder rounding gives.
        long floor = java.math.BigInteger.valueOf(st.ownersAmount()).multiply(java.math.BigInteger.valueOf(share.get().records()))
            .divide(java.math.BigInteger.valueOf(Math.max(1, st.records()))).longValueExact();
        if (share.get().amount() != floor && share.get().amount() != floor + 1) {
          problems.add("the owner was paid " + share.get().amount() + ", not its pro-rata quota of " + floor + " (or " + (floor + 1) + ") of the owners' part");
        }
        if (!ledger.proveInclusion(entry.index(), cp.treeSize()).verify(entry.leafHash(), cp.rootHash())) {
          problems.add("USAGE_SETTLED entry " + entry.index() + " is not in the checkpointed ledger");
        }
      });
      LedgerEntry consentEntry = grant == null ? null : consentEntries.get(grant);
      if (consentEntry == null) problems.add("the consent it was paid under is not recorded on the ledger");
      else if (!ledger.proveInclusion(consentEntry.index(), cp.treeSize()).verify(consentEntry.leafHash(), cp.rootHash())) {
        problems.add("CONSENT_RECORDED entry " + consentEntry.index() + " is not in the checkpointed ledger");
      }
      Optional<SignedConsent> doc = grant == null ? Optional.empty() : book.consent(grant);
      if (doc.isEmpty() || !(doc.get().consent() instanceof OwnerConsent.Grant g)
          || !g.covers(s.consumer(), new io.covenant.core.id.Purpose(s.purpose()), s.at()) || !g.vehicle().equals(vehicle)) {
        problems.add("the consent it was paid under is not this vehicle's grant to " + s.consumer() + " for " + s.purpose() + " at that time");
      }
      String note = "settled at " + settled.map(e -> String.valueOf(e.index())).orElse("?") + ", consent at " + (consentEntry == null ? "?" : consentEntry.index());
      lines.add(new Line(s.job(), s.consumer().value(), at, true, share.get().records(), share.get().amount(), Optional.ofNullable(grant), note,
          problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems))));
    }
    return new OwnerStatement(vehicle, lines, cp);
  }

  private static String whyLeftOut(ConsentBook book, String vehicle, VehicleMaker.KeptSettlement s) {
    boolean anyGrant = false;
    for (SignedConsent c : book.consents()) {
      if (c.consent() instanceof OwnerConsent.Grant g && g.vehicle().equals(vehicle) && g.consumer().equals(s.consumer())) {
        anyGrant = true;
        if (!g.covers(s.consumer(), new io.covenant.core.id.Purpose(s.purpose()), s.at())) continue;
        boolean withdrawn = book.consents().stream().anyMatch(w -> w.consent() instanceof OwnerConsent.Withdrawal x && x.grant().equals(c.digest())
            && !s.at().isBefore(x.at()));
        return withdrawn ? "not used: consent withdrawn before the job" : "not used: the licence pays owners less than this grant's price floor";
      }
    }
    return anyGrant ? "not used: no grant covered this purpose or time" : "not used: no consent for " + s.consumer();
  }

  public List<Line> lines() {
    return lines;
  }

  public boolean proved() {
    return lines.stream().allMatch(l -> l.problem().isEmpty());
  }

  public long earned() {
    return lines.stream().mapToLong(Line::amount).sum();
  }

  public String vehicle() {
    return vehicle;
  }

  public String render(String currency) {
    TextTable t = TextTable.withHeaders("job", "consumer", "settled (UTC)", "records", "earned (" + currency + " cents)", "consent", "ledger entries", "proof").maxCellWidth(120);
    for (Line l : lines) {
      t.row(l.job().value(), l.consumer(), l.at(), l.used() ? l.records() : "-", l.used() ? l.amount() : "-",
          l.consent().map(d -> d.shortForm() + "…").orElse("-"), l.used() ? l.note() : l.note(),
          !l.used() ? "-" : l.problem().map(p -> "FAILED: " + p).orElse("proved"));
    }
    return t.render() + "vehicle " + vehicle.substring(0, 12) + "… earned " + earned() + " " + currency + " cents in total; ledger checkpoint of "
        + checkpoint.treeSize() + " entries, root " + checkpoint.rootHash().shortForm() + "…\n";
  }
}
