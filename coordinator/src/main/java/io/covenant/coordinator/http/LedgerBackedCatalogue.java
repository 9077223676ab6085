package io.covenant.coordinator.http;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.catalogue.PublishedPolicy;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The coordinator's catalogue as organisation nodes fill it over the API: a dataset version, a policy or a revocation
 * enters the catalogue only when the ledger already holds the owner's own signed statement of exactly that
 * (DATASET_PUBLISHED, POLICY_PUBLISHED, POLICY_REVOKED). The coordinator never holds an owner's key, so the ledger entry
 * is the owner's act; the catalogue is only the coordinator's index of it, and cannot say more than the owner signed.
 *
 * <p>Every check runs before anything is written, so a refused request leaves the catalogue as it was. Registering
 * what is already registered, identically, changes nothing and answers as a success (a node may retry after a lost
 * answer); registering something else under a version already taken is a conflict.
 */
final class LedgerBackedCatalogue {
  /** Entries read per step while searching the ledger from its end (recent statements are found first). */
  private static final int STEP = 1024;

  private final Ledger ledger;
  private final CoordinatorStore store;

  /** The consortium's suite: the hash a policy's text is checked against its POLICY_PUBLISHED with. */
  private final io.covenant.core.crypto.CryptoSuite suite;

  LedgerBackedCatalogue(Ledger ledger, CoordinatorStore store, io.covenant.core.crypto.CryptoSuite suite) {
    this.suite = suite;
    this.ledger = ledger;
    this.store = store;
  }

  /** What a registration did: {@code created} false when the catalogue already held exactly this. */
  record Admitted<T>(T item, boolean created) {}

  /** A dataset version as {@code POST /api/datasets} describes it. */
  record DatasetClaim(DatasetVersion version, Cid manifest, long rows, int shards, DatasetSchema schema) {
    static DatasetClaim fromJson(Json.JObject o) {
      long shards = o.number("shards");
      if (shards < 1 || shards > Integer.MAX_VALUE) {
        throw new io.covenant.core.error.MalformedInputException("shards " + shards + " is not a shard count; give the manifest's number of shards (at least 1)");
      }
      long rows = o.number("rows");
      if (rows < 1) throw new io.covenant.core.error.MalformedInputException("rows " + rows + " is not a row count; a published dataset has at least one row");
      return new DatasetClaim(DatasetVersion.parse(o.string("version")), Cid.parse(o.string("manifestCid")), rows, (int) shards,
          DatasetSchema.fromJson(o.array("schema")));
    }

    /**
     * The schema's hash as DATASET_PUBLISHED records it ({@code DatasetManifest.schemaHash}), under the suite the
     * manifest's CID is addressed by: SHA-256 for an international dataset, SM3 for a national one.
     */
    Digest schemaHash() {
      return io.covenant.storage.dataset.DatasetManifest.schemaHash(manifest.suite(), schema);
    }
  }

  /** Registers a published dataset version that the ledger shows its owner published with exactly these fields. */
  synchronized Admitted<DatasetRecord> registerDataset(DatasetClaim claim) {
    DatasetVersion v = claim.version();
    List<LedgerEntry> published = search(e -> e.event().actor().equals(v.owner())
        && e.event().event() instanceof AuditEvent.DatasetPublished p && p.dataset().equals(v), false);
    if (published.isEmpty()) {
      throw new UnprovenClaimException("the ledger holds no DATASET_PUBLISHED of " + v + " signed by its owner " + v.owner()
          + "; the owner records it first (POST /api/ledger/events), then registers it here");
    }
    LedgerEntry match = null;
    String mismatch = null;
    for (LedgerEntry e : published) {
      AuditEvent.DatasetPublished p = (AuditEvent.DatasetPublished) e.event().event();
      String why = !p.manifest().equals(claim.manifest()) ? "manifest " + p.manifest() + ", not " + claim.manifest()
          : p.rows() != claim.rows() ? p.rows() + " rows, not " + claim.rows()
          : p.shards() != claim.shards() ? p.shards() + " shards, not " + claim.shards()
          : !p.schemaHash().equals(claim.schemaHash()) ? "schema hash " + p.schemaHash().shortForm() + "…, not the given schema's "
              + claim.schemaHash().shortForm() + "… (the schema differs from the one published)"
          : null;
      if (why == null) {
        match = e;
        break;
      }
      if (mismatch == null) mismatch = "the ledger's DATASET_PUBLISHED of " + v + " (entry " + e.index() + ") records " + why;
    }
    if (match == null) throw new UnprovenClaimException(mismatch + "; register exactly what the owner published");
    DatasetRecord record = new DatasetRecord(v, claim.manifest(), claim.rows(), claim.shards(), claim.schema(), match.event().issuedAt());
    Optional<DatasetRecord> existing = store.dataset(v);
    if (existing.isPresent()) {
      DatasetRecord had = existing.get();
      if (had.manifest().equals(record.manifest()) && had.rows() == record.rows() && had.shards() == record.shards() && had.schema().equals(record.schema())) {
        return new Admitted<>(had, false);
      }
      throw new CovenantException(v + " is already registered with manifest " + had.manifest() + "; a version is registered once, so publish a new version");
    }
    store.registerDataset(record);
    return new Admitted<>(record, true);
  }

  /**
   * Puts a policy in the catalogue as its dataset's current policy: the ledger's latest POLICY_PUBLISHED of the
   * dataset by its owner must carry this policy's hash (an older, superseded policy cannot be made current again by
   * sending its text), with the same limits, and must not be revoked since.
   */
  synchronized Admitted<PublishedPolicy> putPolicy(String text) {
    Policy policy = Policy.parse(text);
    DatasetId dataset = policy.dataset();
    Digest hash = policy.hash(suite);
    LatestPolicy latest = latestOnLedger(dataset);
    if (latest.published().isEmpty() || !latest.hash().equals(hash)) {
      throw new UnprovenClaimException(latest.published().isEmpty()
          ? "the ledger holds no POLICY_PUBLISHED of " + dataset + " signed by its owner " + dataset.owner() + "; the owner records it first "
              + "(POST /api/ledger/events) with this policy's hash " + hash.shortForm() + "…"
          : "the ledger's latest POLICY_PUBLISHED of " + dataset + " (entry " + latest.published().get().index() + ") is policy "
              + latest.hash().shortForm() + "…, not this one (" + hash.shortForm() + "…); only the policy its owner published last can be put in force");
    }
    AuditEvent.PolicyPublished onLedger = (AuditEvent.PolicyPublished) latest.published().get().event().event();
    // Compared as signed (canonical JSON), so that 1 and 1.0 are told apart exactly as the signature tells them apart.
    AuditEvent.PolicyPublished expected = new AuditEvent.PolicyPublished(dataset, policy.id(), hash, Optional.of(policy.ledgerLimits()));
    if (onLedger.limits().isPresent() && !onLedger.body().encode().equals(expected.body().encode())) {
      throw new UnprovenClaimException("the ledger's POLICY_PUBLISHED of " + dataset + " (entry " + latest.published().get().index()
          + ") records " + onLedger.body().get("limits").encode() + " as its limits, but this policy's are " + expected.body().get("limits").encode()
          + "; the owner publishes the limits of the policy it sends");
    }
    if (latest.revoked().isPresent()) {
      throw new UnprovenClaimException("policy " + hash.shortForm() + "… of " + dataset + " was revoked by its owner at entry " + latest.revoked().get().index()
          + "; publish a new policy to compute on " + dataset + " again");
    }
    if (store.latestVersion(dataset) == 0) {
      throw new UnprovenClaimException("policy " + policy.id() + " is for " + dataset + ", which is not in this catalogue; register a published version "
          + "first (POST /api/datasets)");
    }
    Optional<PublishedPolicy> current = current(dataset);
    if (current.isPresent() && current.get().policy().hash().equals(hash) && current.get().status() == PublishedPolicy.Status.IN_FORCE) {
      return new Admitted<>(current.get(), false);
    }
    store.putPolicy(new PolicyRecord(dataset, policy.id(), hash, policy.toJson().encode(), latest.published().get().event().issuedAt()));
    return new Admitted<>(current(dataset).orElseThrow(), true);
  }

  /** Marks the dataset's current policy revoked, once the ledger holds its owner's POLICY_REVOKED of exactly that policy. */
  synchronized Admitted<PublishedPolicy> revokePolicy(DatasetId dataset) {
    LatestPolicy latest = latestOnLedger(dataset);
    if (latest.published().isEmpty()) {
      throw new UnprovenClaimException("the ledger holds no POLICY_PUBLISHED of " + dataset + " signed by its owner " + dataset.owner() + "; there is no policy to revoke");
    }
    if (latest.revoked().isEmpty()) {
      throw new UnprovenClaimException("the ledger holds no POLICY_REVOKED of " + dataset + "'s current policy " + latest.hash().shortForm()
          + "… signed by its owner " + dataset.owner() + "; the owner records it first (POST /api/ledger/events)");
    }
    Optional<PublishedPolicy> current = current(dataset);
    if (current.isEmpty() || !current.get().policy().hash().equals(latest.hash())) {
      throw new CovenantException("this catalogue's latest policy of " + dataset + " is "
          + current.map(p -> p.policy().hash().shortForm() + "…").orElse("none") + ", not the revoked " + latest.hash().shortForm()
          + "…; put the owner's latest policy first (POST /api/policies)");
    }
    if (current.get().status() == PublishedPolicy.Status.REVOKED) return new Admitted<>(current.get(), false);
    store.revokePolicy(latest.hash());
    return new Admitted<>(current(dataset).orElseThrow(), true);
  }

  /** The catalogue's latest policy of {@code dataset}, whatever its status. */
  private Optional<PublishedPolicy> current(DatasetId dataset) {
    PublishedPolicy last = null;
    for (PublishedPolicy p : store.policies()) if (p.policy().dataset().equals(dataset)) last = p;
    return Optional.ofNullable(last);
  }

  /** The owner's latest POLICY_PUBLISHED of a dataset on the ledger, and its POLICY_REVOKED after it, if any. */
  private record LatestPolicy(Optional<LedgerEntry> published, Optional<LedgerEntry> revoked) {
    Digest hash() {
      return ((AuditEvent.PolicyPublished) published.orElseThrow().event().event()).policyHash();
    }
  }

  private LatestPolicy latestOnLedger(DatasetId dataset) {
    List<LedgerEntry> found = search(e -> e.event().actor().equals(dataset.owner())
        && (e.event().event() instanceof AuditEvent.PolicyPublished p && p.dataset().equals(dataset)
            || e.event().event() instanceof AuditEvent.PolicyRevoked r && r.dataset().equals(dataset)),
        true);
    // Newest first: revocations seen before the first publication are later than it.
    List<LedgerEntry> revocations = new ArrayList<>();
    for (LedgerEntry e : found) {
      if (e.event().event() instanceof AuditEvent.PolicyPublished p) {
        Optional<LedgerEntry> revoked = revocations.stream()
            .filter(r -> ((AuditEvent.PolicyRevoked) r.event().event()).policyHash().equals(p.policyHash())).findFirst();
        return new LatestPolicy(Optional.of(e), revoked);
      }
      revocations.add(e);
    }
    return new LatestPolicy(Optional.empty(), Optional.empty());
  }

  /**
   * Entries matching {@code wanted}, newest first; with {@code untilPublication}, the search stops at the first
   * POLICY_PUBLISHED it returns (all a policy decision needs).
   */
  private List<LedgerEntry> search(Predicate<LedgerEntry> wanted, boolean untilPublication) {
    List<LedgerEntry> out = new ArrayList<>();
    for (long end = ledger.size(); end > 0; end -= STEP) {
      List<LedgerEntry> chunk = ledger.entries(Math.max(0, end - STEP), end);
      for (int i = chunk.size() - 1; i >= 0; i--) {
        LedgerEntry e = chunk.get(i);
        if (!wanted.test(e)) continue;
        out.add(e);
        if (untilPublication && e.event().event() instanceof AuditEvent.PolicyPublished) return out;
      }
    }
    return out;
  }
}
