package io.covenant.coordinator.deployment;

import io.covenant.coordinator.job.CommittedResult;
import io.covenant.coordinator.job.JobCoordinator;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.Ledger;
import io.covenant.tee.compute.ResultTable;
import io.covenant.tee.training.TrainedModel;
import java.time.Clock;
import java.util.List;

/** What a data consumer does: sign and submit jobs, then fetch, check and open results sealed to it. */
public final class DataConsumer {
  private final OrgCredentials credentials;
  private final Ledger ledger;
  private final JobCoordinator coordinator;
  private final Clock clock;

  DataConsumer(OrgCredentials credentials, Ledger ledger, JobCoordinator coordinator, Clock clock) {
    this.credentials = credentials;
    this.ledger = ledger;
    this.coordinator = coordinator;
    this.clock = clock;
  }

  public JobOutcome submit(List<DatasetVersion> datasets, Engine engine, Purpose purpose, Computation computation) {
    JobRequest request = new JobRequest(JobId.random(), credentials.org(), datasets, engine, purpose, computation);
    SignedSubmission signed = SignedSubmission.sign(request, credentials, clock.instant());
    return coordinator.submit(signed.request(), signed.submission());
  }

  /**
   * Fetches the sealed result, checks it is the one the ledger committed, and opens it with this consumer's key.
   * The coordinator that served the bytes is not trusted: a swapped result fails the ledger check.
   */
  public ResultTable result(JobId job) {
    return CommittedResult.open(job, coordinator.sealedResult(job), ledger.entriesForJob(job), credentials.encryptionKeys());
  }

  /** Whether the job's committed result is a trained model rather than a table (the ledger says so). */
  public boolean resultIsModel(JobId job) {
    return CommittedResult.isModel(ledger.entriesForJob(job));
  }

  /**
   * As {@link #result}, for a training job: the model, opened only if its sealed bytes and its model hash are the ones
   * the ledger committed.
   */
  public TrainedModel model(JobId job) {
    return CommittedResult.openModel(job, coordinator.sealedResult(job), ledger.entriesForJob(job), credentials.encryptionKeys());
  }
}
