package io.covenant.coordinator.dispatch;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.job.JobRequest;
import java.util.List;

/** A job the policies allowed, with what an engine needs to run it: inputs by address and the output controls. */
public record AuthorizedJob(JobRequest request, List<DatasetRecord> inputs, int minCohort, HpkePublicKey consumerKey) {
  public AuthorizedJob {
    inputs = List.copyOf(inputs);
  }
}
