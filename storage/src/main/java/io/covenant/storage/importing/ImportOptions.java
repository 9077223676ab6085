package io.covenant.storage.importing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.Sensitivity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every {@link TabularImport} is configured with: explicit types, sensitivity tags, batch size. */
record ImportOptions(Map<String, ColumnType> types, Map<String, Sensitivity> sensitivities, int batchRows) {
  static final int DEFAULT_BATCH_ROWS = 50_000;
  static final ImportOptions DEFAULTS = new ImportOptions(Map.of(), Map.of(), DEFAULT_BATCH_ROWS);

  ImportOptions {
    types = Map.copyOf(types);
    sensitivities = Map.copyOf(sensitivities);
  }

  ImportOptions withType(String column, ColumnType type) {
    if (column == null || type == null) throw new MalformedInputException("withType needs a column name and a type");
    Map<String, ColumnType> t = new HashMap<>(types);
    t.put(column, type);
    return new ImportOptions(t, sensitivities, batchRows);
  }

  ImportOptions withSensitivity(String column, Sensitivity sensitivity) {
    if (column == null || sensitivity == null) throw new MalformedInputException("withSensitivity needs a column name and a sensitivity");
    Map<String, Sensitivity> s = new HashMap<>(sensitivities);
    s.put(column, sensitivity);
    return new ImportOptions(types, s, batchRows);
  }

  ImportOptions withBatchRows(int rows) {
    if (rows < 1) throw new MalformedInputException("batch size must be at least 1 row, got " + rows);
    return new ImportOptions(types, sensitivities, rows);
  }

  /** Refuses overrides and tags for columns the file does not have: a typo must not silently keep a default. */
  void requireColumns(String source, List<String> header) {
    for (String c : types.keySet()) {
      if (!header.contains(c)) throw new MalformedInputException(source + " has no column '" + c + "' to set the type of; its columns are " + header);
    }
    for (String c : sensitivities.keySet()) {
      if (!header.contains(c)) throw new MalformedInputException(source + " has no column '" + c + "' to tag; its columns are " + header);
    }
  }

  /** The explicit type of a column, or null to infer it. */
  ColumnType explicitType(String column) {
    return types.get(column);
  }

  Column column(String name, ColumnType type) {
    return new Column(name, type, sensitivities.getOrDefault(name, Sensitivity.SENSITIVE));
  }
}
