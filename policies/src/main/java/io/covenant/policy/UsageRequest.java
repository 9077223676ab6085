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
 * @param jobTables the table names of every dataset in the job (this one's included): the only tables the computation
 *     may read; a table outside them is governed by no policy of the job, so it is denied ({@code table:NAME})
 */
public record UsageRequest(
    OrgId consumer,
    Purpose purpose,
    Engine engine,
    DatasetVersion dataset,
    String tableName,
    DatasetSchema schema,
    Computation computation,
    Instant at,
    java.util.Set<String> jobTables) {

  public UsageRequest {
    if (consumer == null || purpose == null || engine == null || dataset == null || schema == null || computation == null || at == null) {
      throw new MalformedInputException("a usage request needs a consumer, purpose, engine, dataset version, schema, computation and time");
    }
    if (tableName == null || tableName.isBlank()) {
      throw new MalformedInputException("a usage request needs the table name its computation uses for " + dataset + ", e.g. " + dataset.dataset().name());
    }
    java.util.Set<String> tables = new java.util.TreeSet<>();
    if (jobTables != null) jobTables.forEach(t -> tables.add(t.toLowerCase(java.util.Locale.ROOT)));
    tables.add(tableName.toLowerCase(java.util.Locale.ROOT));
    jobTables = java.util.Collections.unmodifiableSet(tables);
  }

  /** A request for a job whose only dataset is this one: the computation may read only {@code tableName}. */
  public UsageRequest(OrgId consumer, Purpose purpose, Engine engine, DatasetVersion dataset, String tableName, DatasetSchema schema,
      Computation computation, Instant at) {
    this(consumer, purpose, engine, dataset, tableName, schema, computation, at, java.util.Set.of(tableName));
  }
}
