package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job as a person writes it: {@code {"consumer", "purpose", "engine", "datasets": [...], "sql"}}. Datasets may omit
 * their version ({@code hospital-a/claims}) to mean the latest published one.
 */
record JobFile(OrgId consumer, Purpose purpose, Engine engine, java.util.List<String> datasets, String sql) {
  /** How the help texts describe the file's form. */
  static final String FORM_TEXT =
      "{\"consumer\": ORG, \"purpose\": P, \"engine\": \"tee\", \"datasets\": [\"owner/name[@v]\", ...], \"sql\": \"SELECT ...\"}.";

  static JobFile read(Path file) {
    if (!Files.isRegularFile(file)) throw new CovenantException("no job file at " + file + "; see './covenant job submit --help' for its form");
    try {
      Json.JObject o = Json.parseObject(Files.readString(file));
      return new JobFile(new OrgId(o.string("consumer")), new Purpose(o.string("purpose")), Engine.parse(o.string("engine", "tee")),
          o.strings("datasets"), o.string("sql"));
    } catch (MalformedInputException e) {
      throw new MalformedInputException("job file " + file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CovenantException("cannot read job file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The request this file describes, on this deployment: a dataset named without its version means its latest. */
  JobRequest toRequest(LocalDeployment d) {
    return toRequest(id -> DatasetCommand.resolve(d, id.toString()).version());
  }

  /**
   * The request this file describes, under a fresh job id; a dataset named without its version ({@code owner/name})
   * gets the version {@code unversioned} gives it (the latest one here, on a server, or a refusal).
   */
  JobRequest toRequest(java.util.function.Function<io.covenant.core.id.DatasetId, DatasetVersion> unversioned) {
    var versions = datasets.stream()
        .map(text -> text.contains("@") ? DatasetVersion.parse(text) : unversioned.apply(io.covenant.core.id.DatasetId.parse(text)))
        .toList();
    return new JobRequest(JobId.random(), consumer, versions, engine, purpose, new Computation.SqlQuery(sql));
  }
}
