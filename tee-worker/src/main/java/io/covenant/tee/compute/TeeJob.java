package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An authorised job as the TEE worker receives it: the request, one input per requested dataset version (each with
 * the policy it was authorised under), and the consumer's key the result is sealed to. The output controls are not
 * handed in: they are the strictest of the inputs' policies ({@link OutputControls#forPolicies}), and the worker
 * checks each of those policies against the hash its owner sealed with the released key before loading any row.
 */
public record TeeJob(JobRequest request, List<InputDataset> inputs, HpkePublicKey consumerKey, java.util.Optional<AuthorisationEntry> authorisation) {
  /**
   * A job anchored to its JOB_AUTHORIZED entry: the worker derives each key release's attestation nonce from it (see
   * {@link AuthorisationEntry}). The coordinator says where the entry is; it need not be trusted for it, since each owner
   * checks the entry against its own copy of the ledger.
   */
  public TeeJob(JobRequest request, List<InputDataset> inputs, HpkePublicKey consumerKey, AuthorisationEntry authorisation) {
    this(request, inputs, consumerKey, java.util.Optional.of(authorisation));
  }

  /** A job without its authorisation entry: owners refuse its key requests ({@code nonce-missing}). */
  public TeeJob(JobRequest request, List<InputDataset> inputs, HpkePublicKey consumerKey) {
    this(request, inputs, consumerKey, java.util.Optional.empty());
  }

  /**
   * The consortium's crypto suite, read from the consumer's sealing key (X25519: international, SM2: national): the hash
   * the enclave makes the result's, the model's and the policies' identifiers with.
   */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return consumerKey.suite();
  }

  public TeeJob {
    authorisation = authorisation == null ? java.util.Optional.empty() : authorisation;
    if (request == null || consumerKey == null) throw new MalformedInputException("a TEE job needs its request and the consumer's key");
    if (request.engine() != Engine.TEE) {
      throw new MalformedInputException("job " + request.id() + " is for the " + request.engine().wireName() + " engine, not tee");
    }
    if (!(request.computation() instanceof Computation.SqlQuery) && !(request.computation() instanceof Computation.ModelTraining)) {
      throw new MalformedInputException("job " + request.id() + " is neither a SQL query nor a model training; the TEE worker runs those");
    }
    if (inputs == null || inputs.isEmpty()) throw new MalformedInputException("job " + request.id() + " has no inputs");
    inputs = List.copyOf(inputs);
    Set<DatasetVersion> given = new HashSet<>();
    for (InputDataset i : inputs) {
      if (!given.add(i.version())) throw new MalformedInputException("job " + request.id() + " lists input " + i.version() + " twice");
    }
    if (!given.equals(new HashSet<>(request.datasets()))) {
      throw new MalformedInputException("the inputs of job " + request.id() + " " + given + " are not the datasets it requested " + request.datasets());
    }
    controlsOf(inputs); // policies whose bounds do not overlap are refused here, before the worker starts
  }

  private static OutputControls controlsOf(List<InputDataset> inputs) {
    return OutputControls.forPolicies(inputs.stream().map(InputDataset::policy).toList());
  }

  /** The output controls: the strictest of the inputs' policies. */
  public OutputControls controls() {
    return controlsOf(inputs);
  }

  /** The smallest group the result may describe. */
  public int minCohort() {
    return controls().minCohort();
  }
}
