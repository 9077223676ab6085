package io.covenant.policy;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.schema.DatasetSchema;
import java.time.Instant;

/**
 * One dataset's part of a job, as a policy sees it: who wants it, why, where it would run, what would be computed,
 * and when the decision is taken.
 *
 * @param tableName the name the computation uses for this dataset's table (the dataset name, e.g. {@code claims})
 * @param schema the dataset version's published schema, to resolve the columns the computation names
 */
public record UsageRequest(
    OrgId consumer,
    Purpose purpose,
    Engine engine,
    DatasetVersion dataset,
    String tableName,
    DatasetSchema schema,
    Computation computation,
    Instant at) {

  public UsageRequest {
    if (consumer == null || purpose == null || engine == null || dataset == null || schema == null || computation == null || at == null) {
      throw new MalformedInputException("a usage request needs a consumer, purpose, engine, dataset version, schema, computation and time");
    }
    if (tableName == null || tableName.isBlank()) {
      throw new MalformedInputException("a usage request needs the table name its computation uses for " + dataset + ", e.g. " + dataset.dataset().name());
    }
  }
}
