package io.covenant.coordinator.dispatch;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.job.JobRequest;
import io.covenant.policy.Policy;
import java.util.List;

/**
 * A job the policies allowed, with what an engine needs to run it: inputs by address, and the policies that
 * authorised it (each engine derives its output controls from them: cohort, privacy budget, bounds).
 */
public record AuthorizedJob(JobRequest request, List<DatasetRecord> inputs, List<Policy> policies, HpkePublicKey consumerKey) {
  public AuthorizedJob {
    inputs = List.copyOf(inputs);
    policies = List.copyOf(policies);
  }

  /**
   * The consortium's crypto suite, read from the consumer's sealing key (X25519: international, SM2: national): the hash
   * an engine makes the result's and the model's identifiers with.
   */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return consumerKey.suite();
  }
}
