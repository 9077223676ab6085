package io.covenant.coordinator;

import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.DatasetView;
import io.covenant.coordinator.client.PolicyView;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.PublishedDataset;
import java.time.Instant;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;

/**
 * An organisation's node as the coordinator's API sees it: it holds its own credentials, stores its sealed shards and
 * manifest through {@code PUT /api/blocks}, signs its own events and appends them, then asks the coordinator to index
 * what it signed. The test plays the node; the coordinator only ever receives ciphertext, manifests and signatures.
 */
record NodeOverApi(CoordinatorClient client, OrgCredentials org) {

  /** Encrypts {@code rows} synthetic claims as version {@code version} of {@code name}, stored at the coordinator. */
  PublishedDataset encrypt(String name, int version, int rows, long seed) {
    DatasetVersion v = new DatasetVersion(new DatasetId(org.org(), name), version);
    DataKey key = DataKey.generate();
    try (RootAllocator allocator = new RootAllocator(); var batches = SyntheticClaims.generate(allocator, seed, rows, 1.0, 128)) {
      return new DatasetPublisher(client.blocks()).publish(v, SyntheticClaims.SCHEMA, batches, key, org.signingKey());
    } finally {
      key.destroy();
    }
  }

  /** The DATASET_PUBLISHED this node signs for {@code p}. */
  SignedEvent published(PublishedDataset p) {
    var m = p.manifest().manifest();
    return sign(new AuditEvent.DatasetPublished(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), m.schemaHash()));
  }

  /** Encrypts, records DATASET_PUBLISHED and registers it: what a node does to publish a dataset. */
  DatasetView publish(String name, int version, int rows, long seed) {
    PublishedDataset p = encrypt(name, version, rows, seed);
    client.appendEvent(published(p));
    var m = p.manifest().manifest();
    return client.registerDataset(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), m.schema());
  }

  SignedEvent policyPublished(String policyJson) {
    Policy policy = Policy.parse(policyJson);
    return sign(new AuditEvent.PolicyPublished(policy.dataset(), policy.id(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), Optional.of(policy.ledgerLimits())));
  }

  /** Records POLICY_PUBLISHED and puts the policy in force at the coordinator. */
  PolicyView publishPolicy(String policyJson) {
    client.appendEvent(policyPublished(policyJson));
    return client.putPolicy(policyJson);
  }

  SignedEvent policyRevoked(String policyJson, String reason) {
    Policy policy = Policy.parse(policyJson);
    return sign(new AuditEvent.PolicyRevoked(policy.dataset(), policy.id(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), reason));
  }

  LedgerEntry append(AuditEvent event) {
    return client.appendEvent(sign(event));
  }

  SignedEvent sign(AuditEvent event) {
    return SignedEvent.sign(event, org.org(), org.signingKey(), Instant.now());
  }
}
