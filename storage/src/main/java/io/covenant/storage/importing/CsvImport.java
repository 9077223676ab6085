package io.covenant.storage.importing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Imports a CSV file (RFC 4180, UTF-8, header row first) as Arrow batches ready for
 * {@link io.covenant.storage.dataset.DatasetPublisher}.
 *
 * <p>Column types are inferred from every value in the file unless set explicitly: int64 when every value is a
 * whole number, float64 when every value is a number
 * (NaN, Infinity and -Infinity included),
 * date when every value is an ISO yyyy-mm-dd date, string otherwise. A number written with a leading zero
 * (a postcode like 01234, an account number) makes its column a string column, so its digits survive. An empty unquoted field is a missing value
 * (null); a column with no values at all is a string column. Columns without an explicit sensitivity are tagged
 * {@code sensitive}, the cautious default: an owner relaxes a column deliberately, never by omission.
 *
 * <p>The file is read twice: once to check every record and settle the schema (so a malformed line fails before
 * any shard is written), once to produce batches. Every error names the file and line.
 */
public final class CsvImport implements TabularImport {
  private static final Pattern INT = Pattern.compile("[+-]?(0|[1-9][0-9]*)");
  private static final Pattern INT_LOOSE = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern FLOAT = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");
  private static final Pattern LEADING_ZERO = Pattern.compile("[+-]?0[0-9].*");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  private final Path file;
  private final ImportOptions options;

  private CsvImport(Path file, ImportOptions options) {
    this.file = file;
    this.options = options;
  }

  public static CsvImport from(Path csv) {
    if (csv == null) throw new MalformedInputException("CSV import needs a file");
    return new CsvImport(csv, ImportOptions.DEFAULTS);
  }

  /** Sets a column's type instead of inferring it; every value must then parse as that type. */
  @Override
  public CsvImport withType(String column, ColumnType type) {
    return new CsvImport(file, options.withType(column, type));
  }

  /** Tags a column's sensitivity (default: sensitive). */
  @Override
  public CsvImport withSensitivity(String column, Sensitivity sensitivity) {
    return new CsvImport(file, options.withSensitivity(column, sensitivity));
  }

  /** Rows per Arrow batch (default 50,000); the publisher splits batches into shards by size anyway. */
  @Override
  public CsvImport withBatchRows(int rows) {
    return new CsvImport(file, options.withBatchRows(rows));
  }

  /** Reads the whole file, checking every record, and returns the schema it will be imported with. */
  @Override
  public DatasetSchema schema() {
    try (CsvRecords records = open()) {
      List<String> header = header(records);
      int n = header.size();
      ColumnType[] explicit = new ColumnType[n];
      for (int i = 0; i < n; i++) explicit[i] = options.explicitType(header.get(i));
      boolean[] couldBeInt = new boolean[n], couldBeFloat = new boolean[n], couldBeDate = new boolean[n], sawValue = new boolean[n];
      java.util.Arrays.fill(couldBeInt, true);
      java.util.Arrays.fill(couldBeFloat, true);
      java.util.Arrays.fill(couldBeDate, true);
      List<String> record;
      while ((record = next(records, n)) != null) {
        for (int i = 0; i < n; i++) {
          String v = record.get(i);
          if (v == null || (v.isEmpty() && explicit[i] != ColumnType.STRING)) continue;
          if (explicit[i] != null) {
            parse(explicit[i], v, header.get(i), records.recordLine());
            continue;
          }
          sawValue[i] = true;
          if (LEADING_ZERO.matcher(v).matches()) {
            couldBeInt[i] = false; // 01234 is a code (postcode, account), not a number: keep its digits
            couldBeFloat[i] = false;
          }
          if (couldBeInt[i] && !(INT.matcher(v).matches() && fitsLong(v))) couldBeInt[i] = false;
          if (couldBeFloat[i] && !isFloat(v)) couldBeFloat[i] = false;
          if (couldBeDate[i] && !isDate(v)) couldBeDate[i] = false;
        }
      }
      List<Column> columns = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        ColumnType t = explicit[i] != null ? explicit[i]
            : !sawValue[i] ? ColumnType.STRING
            : couldBeInt[i] ? ColumnType.INT64
            : couldBeFloat[i] ? ColumnType.FLOAT64
            : couldBeDate[i] ? ColumnType.DATE
            : ColumnType.STRING;
        columns.add(options.column(header.get(i), t));
      }
      return new DatasetSchema(columns);
    }
  }

  /**
   * Checks the file and settles its schema, then returns its rows as batches. The caller closes the batches; each
   * batch is valid until the next call to {@code next()}.
   */
  @Override
  public CsvBatches batches(BufferAllocator allocator) {
    DatasetSchema schema = schema();
    CsvRecords records = open();
    try {
      header(records);
      return new CsvBatches(records, schema, allocator, options.batchRows(), this::parse);
    } catch (RuntimeException e) {
      records.close();
      throw e;
    }
  }

  CsvRecords open() {
    try {
      return new CsvRecords(Files.newInputStream(file), file.getFileName().toString());
    } catch (IOException e) {
      throw new MalformedInputException("cannot read CSV file " + file + ": " + e.getMessage(), e);
    }
  }

  private List<String> header(CsvRecords records) {
    List<String> header = records.next();
    String name = file.getFileName().toString();
    if (header == null) throw new MalformedInputException(name + " is empty; a CSV import needs a header row naming the columns");
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i);
      if (h == null) throw new MalformedInputException(name + ", line 1: column " + (i + 1) + " has no name in the header");
      try {
        new Column(h, ColumnType.STRING, Sensitivity.SENSITIVE);
      } catch (MalformedInputException e) {
        throw new MalformedInputException(name + ", line 1: " + e.getMessage(), e);
      }
      if (header.indexOf(h) != i) throw new MalformedInputException(name + ", line 1: column '" + h + "' appears twice in the header");
    }
    options.requireColumns(name, header);
    return header;
  }

  /** The next record, checked to have one field per column. */
  static List<String> next(CsvRecords records, int columns) {
    List<String> r = records.next();
    if (r != null && r.size() != columns) {
      throw new MalformedInputException(records.source() + ", line " + records.recordLine() + " has " + r.size() + " fields but the header has " + columns
          + "; quote fields that contain commas");
    }
    return r;
  }

  /** A value as the Java type its column holds: Long, Double, String or LocalDate. */
  Object parse(ColumnType type, String v, String column, long line) {
    try {
      switch (type) {
        case STRING:
          return v;
        case INT64:
          if (INT_LOOSE.matcher(v).matches()) return Long.parseLong(v);
          break;
        case FLOAT64:
          if (isFloat(v)) return Double.parseDouble(v);
          break;
        case DATE:
          if (DATE.matcher(v).matches()) return LocalDate.parse(v);
          break;
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      // reported below
    }
    throw new MalformedInputException(file.getFileName() + ", line " + line + ", column '" + column + "': '" + abbreviate(v) + "' is not a valid "
        + type.wireName() + (type == ColumnType.DATE ? " (use yyyy-mm-dd)" : "") + "; fix the value or import the column as a string");
  }

  private static boolean fitsLong(String v) {
    try {
      Long.parseLong(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Decimal numbers, plus the NaN and infinities that Java (and so {@code DatasetExport}) writes. */
  private static boolean isFloat(String v) {
    if (FLOAT.matcher(v).matches()) return Double.isFinite(Double.parseDouble(v));
    return v.equals("NaN") || v.equals("Infinity") || v.equals("-Infinity");
  }

  private static boolean isDate(String v) {
    if (!DATE.matcher(v).matches()) return false;
    try {
      LocalDate.parse(v);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static String abbreviate(String v) {
    return v.length() <= 40 ? v : v.substring(0, 37) + "...";
  }
}
