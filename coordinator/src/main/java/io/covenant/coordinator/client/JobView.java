package io.covenant.coordinator.client;

import io.covenant.core.codec.Json;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A job as the API describes it ({@code GET /api/jobs/{id}}). */
public record JobView(JobId job, OrgId consumer, String state, List<String> reasons, List<String> datasets, String engine,
    String purpose, String computationHash, Optional<String> resultHash, Instant submittedAt, Instant updatedAt) {

  static JobView fromJson(Json.JObject o) {
    return new JobView(new JobId(o.string("job")), new OrgId(o.string("consumer")), o.string("state"), o.strings("reasons"),
        o.strings("datasets"), o.string("engine"), o.string("purpose"), o.string("computationHash"),
        o.has("resultHash") ? Optional.of(o.string("resultHash")) : Optional.empty(),
        Instant.parse(o.string("submittedAt")), Instant.parse(o.string("updatedAt")));
  }
}
