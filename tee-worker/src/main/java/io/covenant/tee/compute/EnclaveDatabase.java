package io.covenant.tee.compute;

import io.covenant.core.privacy.IntegerNoise;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.DatasetSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The enclave's private, in-memory DuckDB: one per job, never backed by a file and never allowed to spill to disk
 * ({@code temp_directory} is empty, so a query that outgrows {@value #MEMORY_LIMIT} fails instead of writing
 * plaintext out). It is sandboxed from the moment it is created ({@link #sandboxSettings}): no file, network or
 * extension access, and a locked configuration. Tables are loaded with DuckDB's Appender from decrypted Arrow batches;
 * then {@link #lock()} closes loading and checks the sandbox before any consumer SQL runs.
 */
final class EnclaveDatabase implements AutoCloseable {
  static final String MEMORY_LIMIT = "1GB";

  private final DuckDBConnection connection;
  private final Map<String, DatasetSchema> tables = new LinkedHashMap<>();
  private boolean locked;

  private EnclaveDatabase(DuckDBConnection connection) {
    this.connection = connection;
  }

  static EnclaveDatabase open() {
    try {
      Connection c = DriverManager.getConnection("jdbc:duckdb:", sandboxSettings());
      try (Statement s = c.createStatement()) {
        for (String macro : SqlMacros.STATEMENTS) s.execute(macro);
        return new EnclaveDatabase(c.unwrap(DuckDBConnection.class));
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the enclave database could not be started: " + e.getMessage(), e);
    }
  }

  /**
   * Names DuckDB knows as aggregate functions, for {@link AggregateQuery}: the same in every database of this DuckDB
   * build, so read once from the first one, which lets a query be checked before any database of its job is open.
   */
  static Set<String> knownAggregateFunctions() {
    return Aggregates.NAMES;
  }

  private static final class Aggregates {
    static final Set<String> NAMES = read();

    private static Set<String> read() {
      try (EnclaveDatabase db = open(); Statement s = db.connection.createStatement();
          ResultSet r = s.executeQuery("SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'aggregate'")) {
        Set<String> aggregates = new HashSet<>();
        while (r.next()) aggregates.add(r.getString(1));
        return Collections.unmodifiableSet(aggregates);
      } catch (SQLException e) {
        throw new IllegalStateException("the enclave database could not list its aggregate functions: " + e.getMessage(), e);
      }
    }
  }

  /**
   * The sandbox, fixed when the database is created so that no statement can loosen it: no file system or network
   * ({@code enable_external_access=false} turns off {@code read_csv}, {@code read_parquet}, {@code glob},
   * {@code COPY}, {@code ATTACH}, {@code EXPORT DATABASE} and extension installation), no extension fetched or loaded
   * on demand, none from the community repository or unsigned, no spilling to disk, a memory ceiling, and
   * {@code lock_configuration=true} so that {@code SET}, {@code RESET} and configuration {@code PRAGMA}s fail. Loading
   * needs none of this: tables are created with DDL and filled through the Appender.
   */
  static Properties sandboxSettings() {
    Properties config = new Properties();
    config.setProperty("memory_limit", MEMORY_LIMIT);
    config.setProperty("temp_directory", "");
    config.setProperty("enable_external_access", "false");
    config.setProperty("autoinstall_known_extensions", "false");
    config.setProperty("autoload_known_extensions", "false");
    config.setProperty("allow_community_extensions", "false");
    config.setProperty("allow_unsigned_extensions", "false");
    config.setProperty("lock_configuration", "true");
    return config;
  }

  /**
   * Executes {@code sql} exactly as given, with no analyser in front: only for the test that proves DuckDB itself
   * refuses each sandbox escape. Production code runs consumer SQL through {@link #run} and {@link #runNoisy}.
   */
  void executeUnchecked(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  Set<String> tables() {
    return Collections.unmodifiableSet(tables.keySet());
  }

  /**
   * Creates {@code name} with {@code schema}'s columns, or checks that an existing table of that name has the same
   * schema: inputs with one name are horizontal partitions of one table.
   */
  void createTable(String name, DatasetSchema schema, String source) {
    requireUnlocked();
    DatasetSchema existing = tables.get(name);
    if (existing != null) {
      if (!existing.equals(schema)) {
        throw new MalformedInputException("input " + source + " is loaded as table '" + name + "', but its schema " + schema.names()
            + " differs from the schema " + existing.names() + " of the inputs already loaded there; inputs sharing a name must share a schema");
      }
      return;
    }
    StringBuilder ddl = new StringBuilder("CREATE TABLE ").append(quote(name)).append(" (");
    for (int i = 0; i < schema.columns().size(); i++) {
      Column c = schema.columns().get(i);
      if (i > 0) ddl.append(", ");
      ddl.append(quote(c.name())).append(' ').append(switch (c.type()) {
        case INT64 -> "BIGINT";
        case FLOAT64 -> "DOUBLE";
        case STRING -> "VARCHAR";
        case DATE -> "DATE";
      });
    }
    ddl.append(')');
    try (Statement s = connection.createStatement()) {
      s.execute(ddl.toString());
    } catch (SQLException e) {
      throw new IllegalStateException("table '" + name + "' could not be created in the enclave database: " + e.getMessage(), e);
    }
    tables.put(name, schema);
  }

  /** Appends every row of {@code batch} to {@code table}; returns the number of rows appended. */
  long append(String table, VectorSchemaRoot batch, String source) {
    return append(table, batch, source, Optional.empty(), null);
  }

  /**
   * Appends the rows of {@code batch} to {@code table}, leaving out rows of data subjects who withdrew consent (the
   * digest of their subject column's value under {@code subjects} is in {@code withdrawn}); returns the number of rows
   * appended. Left-out rows never reach the database, so no query can see them.
   */
  long append(String table, VectorSchemaRoot batch, String source, Optional<io.covenant.policy.Policy.Consent> withdrawn,
      io.covenant.core.crypto.SubjectKey subjects) {
    return append(connection, table, batch, source, withdrawn, subjects);
  }

  /**
   * A connection of its own to this database, through which one input is loaded while others load on their own
   * threads: DuckDB appends never conflict, even into one table, and the sandbox is the database's, not the
   * connection's. Close it before {@link #lock()}.
   */
  Loader loader() {
    requireUnlocked();
    try {
      return new Loader(connection.duplicate().unwrap(DuckDBConnection.class));
    } catch (SQLException e) {
      throw new IllegalStateException("the enclave database could not open a loading connection: " + e.getMessage(), e);
    }
  }

  /** Loads rows into the tables of this database over a connection of its own ({@link #loader()}). */
  final class Loader implements AutoCloseable {
    private final DuckDBConnection own;

    private Loader(DuckDBConnection own) {
      this.own = own;
    }

    /** As {@link EnclaveDatabase#append(String, VectorSchemaRoot, String, Optional, io.covenant.core.crypto.SubjectKey)}. */
    long append(String table, VectorSchemaRoot batch, String source, Optional<io.covenant.policy.Policy.Consent> withdrawn,
        io.covenant.core.crypto.SubjectKey subjects) {
      return EnclaveDatabase.this.append(own, table, batch, source, withdrawn, subjects);
    }

    @Override
    public void close() {
      try {
        own.close();
      } catch (SQLException e) {
        throw new IllegalStateException("a loading connection of the enclave database did not close: " + e.getMessage(), e);
      }
    }
  }

  private long append(DuckDBConnection into, String table, VectorSchemaRoot batch, String source, Optional<io.covenant.policy.Policy.Consent> withdrawn,
      io.covenant.core.crypto.SubjectKey subjects) {
    requireUnlocked();
    DatasetSchema schema = tables.get(table);
    if (schema == null) throw new IllegalStateException("table '" + table + "' was not created before loading " + source);
    List<FieldVector> vectors = new ArrayList<>(schema.columns().size());
    for (Column c : schema.columns()) {
      FieldVector v = batch.getVector(c.name());
      if (v == null) throw new MalformedInputException("a batch of " + source + " has no column '" + c.name() + "'");
      boolean matches = switch (c.type()) {
        case INT64 -> v instanceof BigIntVector;
        case FLOAT64 -> v instanceof Float8Vector;
        case STRING -> v instanceof VarCharVector;
        case DATE -> v instanceof DateDayVector;
      };
      if (!matches) {
        throw new MalformedInputException("column '" + c.name() + "' of " + source + " arrived as Arrow " + v.getField().getType()
            + ", but its schema says " + c.type().wireName());
      }
      vectors.add(v);
    }
    int rows = batch.getRowCount();
    FieldVector subject = null;
    java.util.Set<String> excluded = java.util.Set.of();
    if (withdrawn.isPresent()) {
      subject = batch.getVector(withdrawn.get().subjectColumn());
      if (subject == null) {
        throw new MalformedInputException("consent names column '" + withdrawn.get().subjectColumn() + "', which " + source + " does not have");
      }
      excluded = java.util.Set.copyOf(withdrawn.get().excludedSubjects());
    }
    long appended = 0;
    try (DuckDBAppender appender = into.createAppender(table)) {
      for (int i = 0; i < rows; i++) {
        if (subject != null && !subject.isNull(i) && excluded.contains(subjects.digest(subjectText(subject, i)))) continue;
        appended++;
        appender.beginRow();
        for (FieldVector v : vectors) {
          if (v.isNull(i)) {
            appender.appendNull();
            continue;
          }
          switch (v) {
            case BigIntVector b -> appender.append(b.get(i));
            case Float8Vector f -> appender.append(f.get(i));
            case VarCharVector s -> appender.append(new String(s.get(i), StandardCharsets.UTF_8));
            case DateDayVector d -> appender.appendEpochDays(d.get(i));
            default -> throw new IllegalStateException("unexpected vector " + v.getClass().getSimpleName());
          }
        }
        appender.endRow();
      }
      appender.flush();
    } catch (SQLException e) {
      throw new IllegalStateException("rows of " + source + " could not be loaded into the enclave database: " + e.getMessage(), e);
    }
    return appended;
  }

  private static String subjectText(FieldVector v, int i) {
    return switch (v) {
      case VarCharVector s -> new String(s.get(i), StandardCharsets.UTF_8);
      case BigIntVector b -> Long.toString(b.get(i));
      default -> String.valueOf(v.getObject(i));
    };
  }

  /**
   * Binds {@code sql} against the tables created so far and returns the labels of its result columns. Binding reads
   * no row: an error here comes from the query and the schemas alone (a misspelt column, a type mismatch), never from a
   * value, so its text is passed on. The worker calls it before any key is released.
   */
  List<String> describe(String sql) {
    try (java.sql.PreparedStatement p = connection.prepareStatement(sql)) {
      ResultSetMetaData md = p.getMetaData();
      List<String> labels = new ArrayList<>(md.getColumnCount());
      for (int i = 1; i <= md.getColumnCount(); i++) labels.add(md.getColumnLabel(i));
      return labels;
    } catch (SQLException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().strip();
      throw new QueryRefusedException("the query is not valid for the job's tables: " + message.lines().findFirst().orElse(""), e);
    }
  }

  /**
   * After loading: no more tables. The sandbox was fixed at creation ({@link #sandboxSettings}); this checks that it
   * is still in force before any consumer SQL runs, and refuses to go on if it is not.
   */
  void lock() {
    try (Statement s = connection.createStatement();
        ResultSet r = s.executeQuery("SELECT current_setting('enable_external_access'), current_setting('lock_configuration')")) {
      if (!r.next() || r.getBoolean(1) || !r.getBoolean(2)) {
        throw new IllegalStateException("the enclave database's sandbox is not in force (external access must be off and the configuration locked)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the enclave database's sandbox could not be checked: " + e.getMessage(), e);
    }
    locked = true;
  }

  /**
   * Runs a checked query and applies the cohort rule: groups whose cohort is below {@code minCohort} are dropped
   * and counted; the cohort columns are removed.
   */
  ControlledOutput run(AggregateQuery query, int minCohort) {
    if (!locked) throw new IllegalStateException("the enclave database must be locked before a consumer query runs");
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query.sql())) {
      ResultSetMetaData md = r.getMetaData();
      int total = md.getColumnCount();
      int visible = total - query.cohortColumns();
      List<String> names = new ArrayList<>(visible);
      List<ValueKind> kinds = new ArrayList<>(visible);
      for (int i = 1; i <= visible; i++) {
        names.add(md.getColumnLabel(i));
        kinds.add(ValueKind.ofSqlType(md.getColumnTypeName(i)));
      }
      for (int i = visible + 1; i <= total; i++) {
        if (!md.getColumnLabel(i).startsWith(AggregateQuery.COHORT_PREFIX)) {
          throw new IllegalStateException("the rewritten query did not end with its cohort columns");
        }
      }
      List<List<Object>> rows = new ArrayList<>();
      long suppressed = 0;
      while (r.next()) {
        long cohort = Long.MAX_VALUE;
        for (int i = visible + 1; i <= total; i++) cohort = Math.min(cohort, r.getLong(i));
        if (cohort < minCohort) {
          suppressed++;
          continue;
        }
        List<Object> row = new ArrayList<>(visible);
        for (int i = 1; i <= visible; i++) row.add(value(r, i, kinds.get(i - 1)));
        rows.add(row);
      }
      return new ControlledOutput(names, kinds, rows, suppressed);
    } catch (SQLException e) {
      throw queryFailure(e);
    }
  }

  /**
   * Runs a query planned for noisy release: per group, reads the exact measurements, adds noise drawn from
   * {@code random}, withholds the group if its noisy row count is below {@code minCohort}, and keeps only the visible
   * columns. Exact values never leave this method.
   */
  ControlledOutput runNoisy(NoisyQuery query, int minCohort, java.util.random.RandomGenerator random) {
    if (!locked) throw new IllegalStateException("the enclave database must be locked before a consumer query runs");
    List<IntegerNoise> noise = new ArrayList<>();
    for (int i = 0; i < query.measurements().size(); i++) noise.add(query.noise(i, random));
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query.sql())) {
      ResultSetMetaData md = r.getMetaData();
      int visible = query.outputs().size();
      int total = md.getColumnCount();
      if (total != visible + query.measurements().size() || !md.getColumnLabel(visible + 1).startsWith(NoisyQuery.MEASUREMENT_PREFIX)) {
        throw new IllegalStateException("the rewritten query did not end with its measurement columns");
      }
      List<String> names = new ArrayList<>(visible);
      List<ValueKind> kinds = new ArrayList<>(visible);
      List<ValueKind> databaseKinds = new ArrayList<>(visible);
      for (int i = 1; i <= visible; i++) {
        names.add(md.getColumnLabel(i));
        ValueKind k = ValueKind.ofSqlType(md.getColumnTypeName(i));
        databaseKinds.add(k);
        kinds.add(query.kindOf(i - 1, k));
      }
      List<List<Object>> rows = new ArrayList<>();
      long suppressed = 0;
      while (r.next()) {
        java.math.BigInteger[] exact = new java.math.BigInteger[query.measurements().size()];
        for (int m = 0; m < exact.length; m++) {
          Object o = r.getObject(visible + 1 + m);
          exact[m] = o == null ? java.math.BigInteger.ZERO : new java.math.BigInteger(ValueKind.integer(o).toString());
        }
        List<Object> keys = new ArrayList<>(visible);
        for (int i = 1; i <= visible; i++) keys.add(query.outputs().get(i - 1).isKey() ? value(r, i, databaseKinds.get(i - 1)) : null);
        List<Object> row = query.release(keys, exact, minCohort, noise);
        if (row == null) {
          suppressed++;
        } else {
          rows.add(row);
        }
      }
      return new ControlledOutput(names, kinds, rows, suppressed);
    } catch (SQLException e) {
      throw queryFailure(e);
    }
  }

  /**
   * Runs {@code sql} as it is and reads every value of every row; returns the row count. For the plaintext baseline
   * of the benchmarks ({@link PlaintextBaseline}) only: no output control applies.
   */
  long runUncontrolled(String sql) {
    if (!locked) throw new IllegalStateException("the database must be locked before a query runs");
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(sql)) {
      int n = r.getMetaData().getColumnCount();
      long rows = 0;
      while (r.next()) {
        for (int i = 1; i <= n; i++) r.getObject(i);
        rows++;
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("the baseline query failed: " + e.getMessage(), e);
    }
  }

  /**
   * Before any key: the feature query's columns and their kinds, so that a label that is not a column or a feature
   * that is not a number is refused with a message, not after data is loaded.
   */
  List<ValueKind> describeKinds(String sql) {
    try (java.sql.PreparedStatement p = connection.prepareStatement(sql)) {
      ResultSetMetaData md = p.getMetaData();
      List<ValueKind> kinds = new ArrayList<>(md.getColumnCount());
      for (int i = 1; i <= md.getColumnCount(); i++) kinds.add(ValueKind.ofSqlType(md.getColumnTypeName(i)));
      return kinds;
    } catch (SQLException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().strip();
      throw new QueryRefusedException("the query is not valid for the job's tables: " + message.lines().findFirst().orElse(""), e);
    }
  }

  /**
   * Runs the checked feature query over the loaded data and returns its rows for training: every column but
   * {@code label} is a feature (NULL becomes a missing value), rows whose label is NULL are left out. The rows stay
   * in this process.
   */
  io.covenant.tee.training.FeatureTable featureTable(FeatureQuery query, String label) {
    if (!locked) throw new IllegalStateException("the enclave database must be locked before a consumer query runs");
    try (Statement s = connection.createStatement(); ResultSet r = s.executeQuery(query.sql())) {
      ResultSetMetaData md = r.getMetaData();
      int n = md.getColumnCount();
      int labelColumn = -1;
      List<String> features = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        if (md.getColumnLabel(i).equals(label)) labelColumn = i; else features.add(md.getColumnLabel(i));
      }
      if (labelColumn < 0) throw new IllegalStateException("the feature query lost its label column after it was checked");
      int f = features.size();
      float[] values = new float[1024 * f];
      float[] labels = new float[1024];
      int rows = 0;
      while (r.next()) {
        double y = r.getDouble(labelColumn);
        if (r.wasNull()) continue;
        if (rows == labels.length) {
          labels = java.util.Arrays.copyOf(labels, rows * 2);
          values = java.util.Arrays.copyOf(values, rows * 2 * f);
        }
        labels[rows] = (float) y;
        int j = 0;
        for (int i = 1; i <= n; i++) {
          if (i == labelColumn) continue;
          double v = r.getDouble(i);
          values[rows * f + j++] = r.wasNull() ? Float.NaN : (float) v;
        }
        rows++;
      }
      return new io.covenant.tee.training.FeatureTable(features, label, java.util.Arrays.copyOf(values, rows * f), java.util.Arrays.copyOf(labels, rows));
    } catch (SQLException e) {
      throw queryFailure(e);
    }
  }

  /**
   * Any error once data is loaded is the same generic failure, whatever its kind: an error raised while rows are
   * processed can quote a value ("could not convert string 'X' to INT32") and, by happening at all, say that a row
   * exists. Errors that depend on the query alone were raised by {@link #describe} before any key was released. The
   * database's exception is not attached.
   */
  private static ComputationFailedException queryFailure(SQLException ignored) {
    return new ComputationFailedException();
  }

  private static Object value(ResultSet r, int i, ValueKind kind) throws SQLException {
    Object o = r.getObject(i);
    if (o == null) return null;
    return switch (kind) {
      case INTEGER -> ValueKind.integer(o);
      case FLOAT -> r.getDouble(i);
      case DECIMAL -> r.getBigDecimal(i);
      case BOOLEAN -> r.getBoolean(i);
      case DATE -> o instanceof LocalDate d ? d : r.getObject(i, LocalDate.class);
      case STRING -> r.getString(i);
    };
  }

  private void requireUnlocked() {
    if (locked) throw new IllegalStateException("the enclave database is locked; tables are loaded before the query runs");
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("the enclave database could not be closed: " + e.getMessage(), e);
    }
  }

  /** What survives the output controls, with the column types needed to seal it faithfully. */
  record ControlledOutput(List<String> columns, List<ValueKind> kinds, List<List<Object>> rows, long suppressedGroups) {}
}
