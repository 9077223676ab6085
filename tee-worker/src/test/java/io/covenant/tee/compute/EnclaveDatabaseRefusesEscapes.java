package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer's SQL tries to reach outside the enclave's DuckDB: read a host file, write the data out, attach another
 * database, fetch or load an extension, or loosen the configuration. Each escape is refused twice: by the worker's
 * analyser ({@link AggregateQuery#check}), which fails closed, and by DuckDB itself when handed the raw statement, so
 * that a hole in the analyser is not a hole in the enclave. (The policy analyser's refusal of the same statements is
 * tested in the policies module.)
 */
class EnclaveDatabaseRefusesEscapes {
  private static final Set<String> TABLES = Set.of("claims");

  @TempDir Path outside;
  private Path secret;
  private EnclaveDatabase db;

  @BeforeEach
  void openSandbox() throws IOException {
    secret = Files.writeString(outside.resolve("host-secret.csv"), "name,diagnosis\nalice,J45\n");
    db = EnclaveDatabase.open();
    db.createTable("claims", new DatasetSchema(List.of(new Column("age", ColumnType.INT64, Sensitivity.PUBLIC))), "test input");
    db.lock();
  }

  @AfterEach
  void close() {
    db.close();
  }

  /** Both layers refuse {@code sql}; DuckDB's refusal names {@code reason} (case-insensitive). */
  private void refusedByBothLayers(String sql, String reason) {
    assertThrows(QueryRefusedException.class, () -> AggregateQuery.check(sql, TABLES, EnclaveDatabase.knownAggregateFunctions()), sql);
    SQLException e = assertThrows(SQLException.class, () -> db.executeUnchecked(sql), sql);
    assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains(reason), sql + " was refused for another reason: " + e.getMessage());
  }

  private String path(Path p) {
    return p.toString().replace("'", "''");
  }

  @Test
  void readCsv() {
    refusedByBothLayers("SELECT count(*) FROM read_csv('" + path(secret) + "')", "disabled");
  }

  @Test
  void readParquet() {
    refusedByBothLayers("SELECT count(*) FROM read_parquet('" + path(outside.resolve("x.parquet")) + "')", "disabled");
  }

  @Test
  void fileFunctions() {
    refusedByBothLayers("SELECT count(*) FROM read_text('" + path(secret) + "')", "disabled");
    refusedByBothLayers("SELECT count(*) FROM glob('" + path(outside) + "/*')", "disabled");
  }

  @Test
  void copyTo() {
    Path out = outside.resolve("exfiltrated.csv");
    refusedByBothLayers("COPY claims TO '" + path(out) + "'", "disabled");
    refusedByBothLayers("COPY (SELECT count(*) FROM claims) TO '" + path(out) + "'", "disabled");
    assertFalse(Files.exists(out), "nothing was written outside the enclave");
  }

  @Test
  void attach() {
    Path other = outside.resolve("other.duckdb");
    refusedByBothLayers("ATTACH '" + path(other) + "' AS other", "disabled");
    assertFalse(Files.exists(other), "no database file was created outside the enclave");
  }

  @Test
  void install() {
    refusedByBothLayers("INSTALL httpfs", "disabled");
    refusedByBothLayers("FORCE INSTALL httpfs FROM community", "disabled");
  }

  @Test
  void load() {
    refusedByBothLayers("LOAD httpfs", "disabled");
    refusedByBothLayers("LOAD '" + path(outside.resolve("evil.duckdb_extension")) + "'", "disabled");
  }

  @Test
  void set() {
    refusedByBothLayers("SET enable_external_access = true", "locked");
    refusedByBothLayers("SET lock_configuration = false", "locked");
    refusedByBothLayers("RESET enable_external_access", "locked");
    refusedByBothLayers("SET temp_directory = '" + path(outside) + "'", "locked");
  }

  @Test
  void pragma() {
    refusedByBothLayers("PRAGMA memory_limit = '100GB'", "locked");
    refusedByBothLayers("PRAGMA enable_profiling = 'json'", "locked");
  }

  @Test
  void call() {
    refusedByBothLayers("CALL read_csv('" + path(secret) + "')", "disabled");
    refusedByBothLayers("CALL glob('" + path(outside) + "/*')", "disabled");
  }

  @Test
  void exportDatabase() {
    Path dir = outside.resolve("export");
    refusedByBothLayers("EXPORT DATABASE '" + path(dir) + "'", "disabled");
    assertFalse(Files.exists(dir.resolve("schema.sql")), "nothing was exported");
  }

  @Test
  void theSandboxIsInForceBeforeAnyTableIsLoaded() throws SQLException {
    try (EnclaveDatabase fresh = EnclaveDatabase.open()) {
      SQLException e = assertThrows(SQLException.class, () -> fresh.executeUnchecked("SET enable_external_access = true"));
      assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("locked"), e.getMessage());
    }
    assertEquals("false", EnclaveDatabase.sandboxSettings().getProperty("enable_external_access"));
  }
}
