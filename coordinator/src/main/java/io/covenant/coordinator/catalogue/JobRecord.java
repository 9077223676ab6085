package io.covenant.coordinator.catalogue;

import io.covenant.coordinator.job.JobState;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.job.JobRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The coordinator's view of a job: the request, its state, why it was denied or failed, and where its sealed result is. */
public record JobRecord(
    JobRequest request, JobState state, List<String> reasons, Optional<Cid> sealedResult, Optional<Digest> resultHash,
    Instant submittedAt, Instant updatedAt) {
  public JobRecord {
    reasons = List.copyOf(reasons);
  }
}
