package io.covenant.tee.compute;

import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An authorised job as the TEE worker receives it: the request, one input per requested dataset version, the output
 * controls (the strictest of the owners' policies: see {@link OutputControls#forPolicies}), and the consumer's key the
 * result is sealed to.
 */
public record TeeJob(JobRequest request, List<InputDataset> inputs, OutputControls controls, HpkePublicKey consumerKey) {
  public TeeJob {
    if (request == null || consumerKey == null) throw new MalformedInputException("a TEE job needs its request and the consumer's key");
    if (controls == null) throw new MalformedInputException("job " + request.id() + " needs output controls");
    if (request.engine() != Engine.TEE) {
      throw new MalformedInputException("job " + request.id() + " is for the " + request.engine().wireName() + " engine, not tee");
    }
    if (!(request.computation() instanceof Computation.SqlQuery)) {
      throw new MalformedInputException("job " + request.id() + " is not a SQL query; the TEE worker runs SQL aggregates");
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
  }

  /** Exact results with only the cohort rule: the form for policies without a privacy budget. */
  public TeeJob(JobRequest request, List<InputDataset> inputs, int minCohort, HpkePublicKey consumerKey) {
    this(request, inputs, cohortOnlyFor(request, minCohort), consumerKey);
  }

  private static OutputControls cohortOnlyFor(JobRequest request, int minCohort) {
    if (minCohort < 1 && request != null) {
      throw new MalformedInputException("job " + request.id() + " has minimum cohort " + minCohort + "; it must be at least 1");
    }
    return OutputControls.cohortOnly(minCohort);
  }

  /** The smallest group the result may describe. */
  public int minCohort() {
    return controls.minCohort();
  }
}
