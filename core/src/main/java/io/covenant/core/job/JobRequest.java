package io.covenant.core.job;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import java.util.List;

/** A consumer's request: compute this, on these dataset versions, with this engine, for this purpose. */
public record JobRequest(JobId id, OrgId consumer, List<DatasetVersion> datasets, Engine engine, Purpose purpose, Computation computation) {
  public JobRequest {
    if (id == null || consumer == null || engine == null || purpose == null || computation == null) {
      throw new MalformedInputException("a job needs an id, a consumer, an engine, a purpose and a computation");
    }
    if (datasets == null || datasets.isEmpty()) throw new MalformedInputException("a job needs at least one dataset");
    datasets = List.copyOf(datasets);
  }

  public Json.JObject toJson() {
    return Json.obj(
        "id", id.value(),
        "consumer", consumer.value(),
        "datasets", datasets.stream().map(DatasetVersion::toString).toList(),
        "engine", engine.wireName(),
        "purpose", purpose.value(),
        "computation", computation.toJson());
  }

  public static JobRequest fromJson(Json.JObject o) {
    return new JobRequest(
        new JobId(o.string("id")),
        new OrgId(o.string("consumer")),
        o.strings("datasets").stream().map(DatasetVersion::parse).toList(),
        Engine.parse(o.string("engine")),
        new Purpose(o.string("purpose")),
        Computation.fromJson(o.object("computation")));
  }
}
