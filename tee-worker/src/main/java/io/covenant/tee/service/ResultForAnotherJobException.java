package io.covenant.tee.service;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.JobId;

/**
 * A worker answered a job with a result that names another job or another computation. The coordinator refuses it
 * (the job fails, nothing is committed): a result is committed only under the job and computation it was computed for.
 */
public final class ResultForAnotherJobException extends IntegrityException {
  public ResultForAnotherJobException(JobId job, Digest computation, String answeredJob, String answeredComputation) {
    super("the TEE worker answered job " + job + " (computation " + computation.shortForm() + ") with a result for job " + answeredJob
        + " (computation " + shortForm(answeredComputation) + "); the result is not committed. Check that the coordinator dispatches to the "
        + "worker it was configured with, then retry the job");
  }

  private static String shortForm(String hex) {
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }
}
