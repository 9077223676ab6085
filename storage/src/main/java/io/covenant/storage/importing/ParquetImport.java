package io.covenant.storage.importing;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Imports a Parquet file as Arrow batches ready for {@link io.covenant.storage.dataset.DatasetPublisher}, read with
 * DuckDB's {@code read_parquet} through its JDBC driver (an in-memory database that exists for this import only).
 *
 * <p>Types come from the Parquet schema: any integer type to int64, FLOAT/DOUBLE/DECIMAL to float64 (a DECIMAL
 * loses digits beyond a double's 15-17), DATE to date, VARCHAR to string; BOOLEAN, TIMESTAMP, TIME and UUID become
 * strings in DuckDB's text form ({@code true}, {@code 2024-01-31 12:00:00}). Nested and binary columns are refused.
 * {@link #withType} overrides the inferred type; every value must then convert ({@code TRY_CAST}), and the first one
 * that does not is reported with its row number (1-based, in file order) before any batch is produced. As with
 * CSV, untagged columns are {@code sensitive}.
 */
public final class ParquetImport implements TabularImport {
  private final Path file;
  private final ImportOptions options;

  private ParquetImport(Path file, ImportOptions options) {
    this.file = file;
    this.options = options;
  }

  public static ParquetImport from(Path parquet) {
    if (parquet == null) throw new MalformedInputException("Parquet import needs a file");
    return new ParquetImport(parquet.toAbsolutePath(), ImportOptions.DEFAULTS);
  }

  @Override
  public ParquetImport withType(String column, ColumnType type) {
    return new ParquetImport(file, options.withType(column, type));
  }

  @Override
  public ParquetImport withSensitivity(String column, Sensitivity sensitivity) {
    return new ParquetImport(file, options.withSensitivity(column, sensitivity));
  }

  @Override
  public ParquetImport withBatchRows(int rows) {
    return new ParquetImport(file, options.withBatchRows(rows));
  }

  @Override
  public DatasetSchema schema() {
    try (Connection db = open()) {
      return schema(db);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public ImportedBatches batches(BufferAllocator allocator) {
    Connection db = open();
    try {
      DatasetSchema schema = schema(db);
      StringBuilder select = new StringBuilder("SELECT ");
      List<Column> columns = schema.columns();
      for (int i = 0; i < columns.size(); i++) {
        if (i > 0) select.append(", ");
        select.append(cast(columns.get(i))).append(" AS ").append(quote(columns.get(i).name()));
      }
      select.append(" FROM read_parquet(?)");
      PreparedStatement query = db.prepareStatement(select.toString());
      query.setString(1, file.toString());
      ResultSet rows = query.executeQuery();
      return new ParquetBatches(db, rows, schema, allocator, options.batchRows(), file.getFileName().toString());
    } catch (SQLException | RuntimeException e) {
      try {
        db.close();
      } catch (SQLException ignored) {
        // Reporting the first failure matters more.
      }
      throw e instanceof SQLException sql ? failure(sql) : (RuntimeException) e;
    }
  }

  private DatasetSchema schema(Connection db) throws SQLException {
    String name = file.getFileName().toString();
    List<String> names = new ArrayList<>();
    List<String> sqlTypes = new ArrayList<>();
    try (PreparedStatement describe = db.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?)")) {
      describe.setString(1, file.toString());
      try (ResultSet rs = describe.executeQuery()) {
        while (rs.next()) {
          names.add(rs.getString("column_name"));
          sqlTypes.add(rs.getString("column_type"));
        }
      }
    }
    if (names.isEmpty()) throw new MalformedInputException(name + " has no columns");
    for (String n : names) {
      try {
        new Column(n, ColumnType.STRING, Sensitivity.SENSITIVE);
      } catch (MalformedInputException e) {
        throw new MalformedInputException(name + ": " + e.getMessage() + "; rename the column in the Parquet file", e);
      }
    }
    options.requireColumns(name, names);
    List<Column> columns = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      ColumnType inferred = infer(name, names.get(i), sqlTypes.get(i));
      ColumnType explicit = options.explicitType(names.get(i));
      Column c = options.column(names.get(i), explicit != null ? explicit : inferred);
      if (c.type() != ColumnType.STRING) firstValueThatDoesNotConvert(db, c);
      columns.add(c);
    }
    return new DatasetSchema(columns);
  }

  /** Fails naming row, column and value if any value of the column does not convert to its type. */
  private void firstValueThatDoesNotConvert(Connection db, Column c) throws SQLException {
    String col = quote(c.name());
    String sql = "SELECT file_row_number, CAST(" + col + " AS VARCHAR) FROM read_parquet(?, file_row_number = true) WHERE " + col
        + " IS NOT NULL AND TRY_CAST(" + col + " AS " + sqlType(c.type()) + ") IS NULL ORDER BY file_row_number LIMIT 1";
    try (PreparedStatement q = db.prepareStatement(sql)) {
      q.setString(1, file.toString());
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          String v = rs.getString(2);
          throw new MalformedInputException(file.getFileName() + ", row " + (rs.getLong(1) + 1) + ", column '" + c.name() + "': '"
              + (v.length() <= 40 ? v : v.substring(0, 37) + "...") + "' is not a valid " + c.type().wireName()
              + "; fix the value or import the column as a string");
        }
      }
    }
  }

  private static ColumnType infer(String file, String column, String sqlType) {
    String t = sqlType.toUpperCase(Locale.ROOT);
    if (t.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT)|HUGEINT|UHUGEINT)")) return ColumnType.INT64;
    if (t.matches("(FLOAT|REAL|DOUBLE)") || t.startsWith("DECIMAL")) return ColumnType.FLOAT64;
    if (t.equals("DATE")) return ColumnType.DATE;
    if (t.equals("VARCHAR") || t.equals("BOOLEAN") || t.startsWith("TIMESTAMP") || t.startsWith("TIME") || t.equals("UUID")) return ColumnType.STRING;
    throw new MalformedInputException(file + ": column '" + column + "' has Parquet type " + sqlType
        + ", which Covenant datasets cannot hold (they hold int64, float64, string and date); flatten or convert it before importing");
  }

  private static String cast(Column c) {
    return "CAST(" + quote(c.name()) + " AS " + sqlType(c.type()) + ")";
  }

  private static String sqlType(ColumnType t) {
    return switch (t) {
      case INT64 -> "BIGINT";
      case FLOAT64 -> "DOUBLE";
      case STRING -> "VARCHAR";
      case DATE -> "DATE";
    };
  }

  private static String quote(String column) {
    return "\"" + column.replace("\"", "\"\"") + "\"";
  }

  private Connection open() {
    if (!Files.isRegularFile(file)) throw new MalformedInputException("cannot read Parquet file " + file + ": it does not exist or is not a file");
    try {
      Class.forName("org.duckdb.DuckDBDriver");
      Properties p = new Properties();
      // Rows are fetched as they are read instead of the whole result first: the import streams.
      p.setProperty("jdbc_stream_results", "true");
      Connection db = DriverManager.getConnection("jdbc:duckdb:", p);
      try (var s = db.createStatement()) {
        s.execute("SET autoinstall_known_extensions = false");
        s.execute("SET autoload_known_extensions = false");
        s.execute("SET preserve_insertion_order = true");
      }
      return db;
    } catch (ClassNotFoundException e) {
      throw new CovenantException("Parquet import needs the DuckDB JDBC driver (org.duckdb:duckdb_jdbc) on the class path", e);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private MalformedInputException failure(SQLException e) {
    return new MalformedInputException("cannot read Parquet file " + file + ": " + firstLine(e.getMessage()) + "; check that it is a Parquet file", e);
  }

  static String firstLine(String s) {
    if (s == null) return "(no detail)";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
