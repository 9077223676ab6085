package io.covenant.coordinator.deployment;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.PolicyView;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import java.util.Locale;
import java.util.Optional;

/**
 * What a data owner tells the coordinator after it has signed the fact on the ledger: a dataset version it published,
 * a policy it put in force or revoked, its decision on a job. In the embedded deployment these go straight to the
 * coordinator's store ({@link #local}); from an organisation's node they go through the coordinator's API
 * ({@link #remote}), which admits each only when the ledger shows the owner signed it.
 */
public interface OwnerCatalogue {
  /** The highest version of {@code dataset} the coordinator knows, 0 if none. */
  int latestVersion(DatasetId dataset);

  void registerDataset(DatasetRecord record);

  void putPolicy(PolicyRecord record);

  /** The policy in force for {@code dataset} (the last published, unless revoked). */
  Optional<PolicyRecord> currentPolicy(DatasetId dataset);

  void revokePolicy(DatasetId dataset, Digest policyHash);

  JobOutcome approve(SignedEvent approval);

  static OwnerCatalogue local(CoordinatorStore store, JobCoordinator coordinator) {
    return new OwnerCatalogue() {
      @Override public int latestVersion(DatasetId dataset) { return store.latestVersion(dataset); }
      @Override public void registerDataset(DatasetRecord record) { store.registerDataset(record); }
      @Override public void putPolicy(PolicyRecord record) { store.putPolicy(record); }
      @Override public Optional<PolicyRecord> currentPolicy(DatasetId dataset) { return store.currentPolicy(dataset); }
      @Override public void revokePolicy(DatasetId dataset, Digest policyHash) { store.revokePolicy(policyHash); }
      @Override public JobOutcome approve(SignedEvent approval) { return coordinator.approve(approval); }
    };
  }

  static OwnerCatalogue remote(CoordinatorClient client) {
    return new OwnerCatalogue() {
      @Override
      public int latestVersion(DatasetId dataset) {
        return CoordinatorClient.all(client::datasets).stream().filter(d -> d.dataset().dataset().equals(dataset))
            .mapToInt(d -> d.dataset().version()).max().orElse(0);
      }

      @Override
      public void registerDataset(DatasetRecord r) {
        client.registerDataset(r.version(), r.manifest(), r.rows(), r.shards(), r.schema());
      }

      @Override
      public void putPolicy(PolicyRecord record) {
        client.putPolicy(record.json());
      }

      @Override
      public Optional<PolicyRecord> currentPolicy(DatasetId dataset) {
        return CoordinatorClient.all(client::policies).stream()
            .filter(p -> p.dataset().equals(dataset) && !"revoked".equals(p.status()))
            .reduce((a, b) -> b.publishedAt().isAfter(a.publishedAt()) ? b : a)
            .map(OwnerCatalogue::record);
      }

      @Override
      public void revokePolicy(DatasetId dataset, Digest policyHash) {
        client.revokePolicy(dataset);
      }

      @Override
      public JobOutcome approve(SignedEvent approval) {
        JobId job = approval.event().job().orElseThrow();
        var v = client.approve(job, approval);
        return new JobOutcome(v.job(), JobState.valueOf(v.state().toUpperCase(Locale.ROOT).replace('-', '_')), v.reasons(), v.resultHash().map(Digest::parse));
      }
    };
  }

  private static PolicyRecord record(PolicyView p) {
    return new PolicyRecord(p.dataset(), p.policy(), Digest.parse(p.hash()), p.document().encode(), p.publishedAt());
  }
}
