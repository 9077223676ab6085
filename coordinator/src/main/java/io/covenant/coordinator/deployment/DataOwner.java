package io.covenant.coordinator.deployment;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.node.keystore.OrgKeystore;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.ledger.Ledger;
import io.covenant.policy.Policy;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.PublishedDataset;
import io.covenant.node.keyrelease.PublishedPolicies;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** What a data owner does: publish encrypted dataset versions and the policies that govern them. */
public final class DataOwner {
  private final OrgKeystore keystore;
  private final PublishedPolicies publishedPolicies;
  private final Ledger ledger;
  private final Blockstore blockstore;
  private final OwnerCatalogue catalogue;
  private final Clock clock;

  /**
   * An owner acting with its own keystore and policy records, signing on {@code ledger}, storing blocks in
   * {@code blockstore}, and telling the coordinator through {@code catalogue} (its store in the embedded deployment, its
   * API from a node).
   */
  public DataOwner(OrgKeystore keystore, PublishedPolicies publishedPolicies, Ledger ledger, Blockstore blockstore, OwnerCatalogue catalogue, Clock clock) {
    this.keystore = keystore;
    this.publishedPolicies = publishedPolicies;
    this.ledger = ledger;
    this.blockstore = blockstore;
    this.catalogue = catalogue;
    this.clock = clock;
  }

  /**
   * Encrypts and stores a new version of dataset {@code name}, keeps its data key wrapped in the owner's keystore, and
   * records DATASET_PUBLISHED. Nothing is registered unless every shard and the manifest were stored first; blocks of
   * a failed publish are unreferenced and harmless (content-addressed, encrypted).
   */
  public DatasetRecord publish(String name, DatasetSchema schema, Iterator<VectorSchemaRoot> batches) {
    DatasetId id = new DatasetId(keystore.org(), name);
    DatasetVersion version = new DatasetVersion(id, catalogue.latestVersion(id) + 1);
    DataKey key = DataKey.generate();
    PublishedDataset published;
    try {
      published = new DatasetPublisher(blockstore).publish(version, schema, batches, key, keystore.credentials().signingKey());
      if (published.manifest().manifest().rows() == 0) {
        // A dataset without rows can answer no query; publishing it would only put an empty version on the ledger.
        throw new MalformedInputException("the input has a header but no rows; nothing was published. Add at least one row");
      }
      keystore.storeWrappedKey(version, keystore.kek().wrap(key, version.toString()));
    } finally {
      key.destroy();
    }
    var manifest = published.manifest().manifest();
    Instant now = clock.instant();
    DatasetRecord record = new DatasetRecord(version, published.manifestCid(), manifest.rows(), manifest.shards().size(), schema, now);
    sign(new AuditEvent.DatasetPublished(version, published.manifestCid(), manifest.rows(), manifest.shards().size(), manifest.schemaHash()));
    catalogue.registerDataset(record);
    return record;
  }

  /**
   * Publishes a policy for one of this owner's datasets: the owner keeps its own copy first (its key service reads the
   * policy from there, never from the coordinator), then the hash and the limits (maxUses, privacy budget) go on the
   * ledger, and the coordinator's catalogue gets the text to evaluate jobs with.
   */
  public PolicyRecord publishPolicy(String policyJson) {
    Policy policy = Policy.parse(policyJson);
    if (!policy.dataset().owner().equals(keystore.org())) {
      throw new CovenantException("policy " + policy.id() + " is for " + policy.dataset() + ", which " + keystore.org()
          + " does not own; only a dataset's owner may publish its policy");
    }
    if (catalogue.latestVersion(policy.dataset()) == 0) {
      throw new CovenantException("policy " + policy.id() + " is for " + policy.dataset() + ", which is not published here; "
          + "publish the dataset first ('./covenant dataset publish FILE --owner " + keystore.org() + "'), or correct the policy's \"dataset\"");
    }
    publishedPolicies.keep(policy);
    io.covenant.core.crypto.Digest hash = policy.hash(keystore.credentials().signingKey().suite());
    sign(new AuditEvent.PolicyPublished(policy.dataset(), policy.id(), hash, java.util.Optional.of(policy.ledgerLimits())));
    PolicyRecord record = new PolicyRecord(policy.dataset(), policy.id(), hash, policy.toJson().encode(), clock.instant());
    catalogue.putPolicy(record);
    return record;
  }

  /**
   * Revokes the policy in force for one of this owner's datasets (POLICY_REVOKED on the ledger). From then on nothing
   * may be computed on the dataset until a new policy is published; running jobs cannot obtain keys any more, because
   * each key service checks the policy in force at release time.
   */
  public PolicyRecord revokePolicy(DatasetId dataset, String reason) {
    if (!dataset.owner().equals(keystore.org())) {
      throw new CovenantException(keystore.org() + " cannot revoke the policy of " + dataset + ": only its owner " + dataset.owner() + " can");
    }
    PolicyRecord current = catalogue.currentPolicy(dataset)
        .orElseThrow(() -> new CovenantException(dataset + " has no policy in force; there is nothing to revoke"));
    sign(new AuditEvent.PolicyRevoked(dataset, current.policyId(), current.hash(), reason));
    catalogue.revokePolicy(dataset, current.hash());
    return current;
  }

  /** Approves or rejects the use of this owner's dataset in a job that awaits approval; signs APPROVAL_GIVEN. */
  public JobOutcome decide(JobId job, DatasetId dataset, boolean approve, String note) {
    if (!dataset.owner().equals(keystore.org())) {
      throw new CovenantException(keystore.org() + " cannot approve the use of " + dataset + ": only its owner " + dataset.owner() + " can");
    }
    var c = keystore.credentials();
    return catalogue.approve(SignedEvent.sign(new AuditEvent.ApprovalGiven(job, dataset, approve, note), c.org(), c.signingKey(), clock.instant()));
  }

  public OrgId org() {
    return keystore.org();
  }

  private void sign(AuditEvent e) {
    var c = keystore.credentials();
    ledger.append(SignedEvent.sign(e, c.org(), c.signingKey(), clock.instant()));
  }
}
