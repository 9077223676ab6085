package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.policy.Policy;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A locked enclave database holding one claims table, for output-control tests. */
final class PrivateTable implements AutoCloseable {
  static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("patient_id", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("sex", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER),
      new Column("claim_cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE)));
  static final Policy.Bounds COST = new Policy.Bounds(BigDecimal.ZERO, new BigDecimal("200000"));

  private final BufferAllocator allocator = new RootAllocator();
  final EnclaveDatabase db = EnclaveDatabase.open();
  private final SecureRandom random = new SecureRandom();

  /** Rows of (patient_id, age, sex, claim_cost). */
  PrivateTable(List<Object[]> rows) {
    db.createTable("claims", SCHEMA, "test rows");
    try (VectorSchemaRoot batch = Batches.of(allocator, SCHEMA, rows)) {
      db.append("claims", batch, "test rows");
    }
    db.lock();
  }

  static OutputControls.Privacy privacy(String epsilon) {
    return new OutputControls.Privacy(new BigDecimal(epsilon), Map.of("claim_cost", COST));
  }

  EnclaveDatabase.ControlledOutput exact(String sql, int minCohort) {
    return db.run(AggregateQuery.check(sql, db.tables(), EnclaveDatabase.knownAggregateFunctions()), minCohort);
  }

  EnclaveDatabase.ControlledOutput noisy(String sql, int minCohort, OutputControls.Privacy privacy) {
    AggregateQuery.check(sql, db.tables(), EnclaveDatabase.knownAggregateFunctions());
    return db.runNoisy(NoisyQuery.plan(sql, privacy), minCohort, random);
  }

  static Optional<Object> single(EnclaveDatabase.ControlledOutput out, int column) {
    return out.rows().isEmpty() ? Optional.empty() : Optional.ofNullable(out.rows().get(0).get(column));
  }

  @Override
  public void close() {
    db.close();
    allocator.close();
  }
}
