package io.covenant.coordinator.job;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.JobId;
import java.util.List;
import java.util.Optional;

/** How a submission ended: its state, the reasons (for a denial or failure) and the result hash if committed. */
public record JobOutcome(JobId job, JobState state, List<String> reasons, Optional<Digest> resultHash) {
  public JobOutcome {
    reasons = List.copyOf(reasons);
  }
}
