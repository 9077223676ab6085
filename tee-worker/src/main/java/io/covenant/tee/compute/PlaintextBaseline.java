package io.covenant.tee.compute;

import io.covenant.core.schema.DatasetSchema;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The baseline the TEE benchmark compares the worker with: the same DuckDB, configured and sandboxed as the
 * enclave's and with the same SQL macros, loaded through the same Appender path from plaintext Arrow batches, running
 * the consumer's SQL as it is. No keys, no decryption, no output controls, no sealing: the difference between the two
 * is what the enclave's protections cost. For benchmarks only; it applies no policy to anything.
 */
public final class PlaintextBaseline implements AutoCloseable {
  private final EnclaveDatabase db = EnclaveDatabase.open();

  public void createTable(String name, DatasetSchema schema) {
    db.createTable(name, schema, "the plaintext baseline");
  }

  /** Appends the rows of one plaintext batch; returns how many. */
  public long append(String table, VectorSchemaRoot batch) {
    return db.append(table, batch, "the plaintext baseline");
  }

  /** Ends loading (the same sandbox check as the enclave's). */
  public void lock() {
    db.lock();
  }

  /** Runs {@code sql} and reads its whole result; returns the number of rows. */
  public long query(String sql) {
    return db.runUncontrolled(sql);
  }

  /**
   * Trains {@code spec} on the rows its feature query returns over the loaded tables, as the enclave trains (the same
   * feature extraction and the same XGBoost call), with nothing sealed and no policy applied.
   */
  public io.covenant.tee.training.TrainedModel train(io.covenant.core.job.Computation.ModelTraining spec, java.util.Set<String> tables) {
    return io.covenant.tee.training.XgboostTraining.train(io.covenant.core.crypto.CryptoSuite.INTL, db.featureTable(FeatureQuery.check(spec.featureSql(), tables), spec.label()), spec);
  }

  @Override
  public void close() {
    db.close();
  }
}
