package io.covenant.coordinator.client;

import io.covenant.core.codec.Json;
import io.covenant.core.id.JobId;
import java.util.List;
import java.util.Optional;

/** How far a submitted or approved job went: COMMITTED, DENIED, FAILED or AWAITING_APPROVAL, with the reasons. */
public record JobOutcomeView(JobId job, String state, List<String> reasons, Optional<String> resultHash) {

  static JobOutcomeView fromJson(Json.JObject o) {
    return new JobOutcomeView(new JobId(o.string("job")), o.string("state"), o.strings("reasons"),
        o.has("resultHash") ? Optional.of(o.string("resultHash")) : Optional.empty());
  }
}
