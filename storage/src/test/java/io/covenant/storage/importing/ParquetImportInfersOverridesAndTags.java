package io.covenant.storage.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.MemoryBlockstore;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.PublishedDataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetImportInfersOverridesAndTags {
  /** Writes a Parquet file with DuckDB's own COPY ... TO, as a data owner's tooling would. */
  static Path write(Path dir, String name, String select) throws Exception {
    Path file = dir.resolve(name);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement s = db.createStatement()) {
      s.execute("COPY (" + select + ") TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
    }
    return file;
  }

  private static final String CLAIMS = """
      SELECT 'p' || i AS patient,
             CASE WHEN i % 7 = 2 THEN NULL ELSE (i % 90)::INTEGER END AS age,
             CASE WHEN i % 13 = 4 THEN NULL ELSE i * 1.25 - 17.5 END::DOUBLE AS cost,
             DATE '2020-01-01' + (i % 1500)::INTEGER AS visit,
             lpad((i % 1000)::VARCHAR, 5, '0') AS postcode,
             (i % 2 = 0) AS insured
      FROM range(0, 120000) t(i) ORDER BY i""";

  @Test
  void typesComeFromTheParquetSchemaAndSensitivityDefaultsToSensitive(@TempDir Path dir) throws Exception {
    Path file = write(dir, "claims.parquet", CLAIMS);
    DatasetSchema schema = ParquetImport.from(file).withSensitivity("patient", Sensitivity.IDENTIFIER).withSensitivity("age", Sensitivity.QUASI_IDENTIFIER).schema();
    assertEquals(List.of(
        new Column("patient", ColumnType.STRING, Sensitivity.IDENTIFIER),
        new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
        new Column("cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
        new Column("visit", ColumnType.DATE, Sensitivity.SENSITIVE),
        new Column("postcode", ColumnType.STRING, Sensitivity.SENSITIVE),
        new Column("insured", ColumnType.STRING, Sensitivity.SENSITIVE)), schema.columns());
  }

  @Test
  void everyRowIsPublishedAndReadsBackWithItsValuesAndNulls(@TempDir Path dir) throws Exception {
    Path file = write(dir, "claims.parquet", CLAIMS);
    MemoryBlockstore store = MemoryBlockstore.healthy("memory");
    DataKey key = DataKey.generate();
    ParquetImport source = ParquetImport.from(file).withType("postcode", ColumnType.INT64).withBatchRows(7_000);
    PublishedDataset published;
    try (BufferAllocator allocator = new RootAllocator(); ImportedBatches batches = source.batches(allocator)) {
      published = new DatasetPublisher(store).publish(DatasetVersion.parse("hospital-a/claims@1"), batches.schema(), batches, key, SigningKey.generate());
    }
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      new DatasetReader(store).forEachBatch(published.manifest(), key, allocator, root -> {
        for (int r = 0; r < root.getRowCount(); r++) {
          rows.add(Arrays.asList(
              new String(((VarCharVector) root.getVector("patient")).get(r), StandardCharsets.UTF_8),
              ((BigIntVector) root.getVector("age")).getObject(r),
              ((Float8Vector) root.getVector("cost")).getObject(r),
              LocalDate.ofEpochDay(((DateDayVector) root.getVector("visit")).get(r)),
              ((BigIntVector) root.getVector("postcode")).getObject(r),
              new String(((VarCharVector) root.getVector("insured")).get(r), StandardCharsets.UTF_8)));
        }
      });
    }
    assertEquals(120_000, rows.size());
    for (int i = 0; i < rows.size(); i++) {
      List<Object> expected = Arrays.asList("p" + i, i % 7 == 2 ? null : (long) (i % 90), i % 13 == 4 ? null : i * 1.25 - 17.5,
          LocalDate.of(2020, 1, 1).plusDays(i % 1500), (long) (i % 1000), i % 2 == 0 ? "true" : "false");
      assertEquals(expected, rows.get(i), "row " + i);
    }
  }

  @Test
  void anOverrideThatSomeValueCannotMeetNamesRowColumnAndValue(@TempDir Path dir) throws Exception {
    Path file = write(dir, "codes.parquet", "SELECT CASE WHEN i = 41 THEN 'A7' ELSE i::VARCHAR END AS code FROM range(0, 100) t(i) ORDER BY i");
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> ParquetImport.from(file).withType("code", ColumnType.INT64).schema());
    assertTrue(e.getMessage().contains("codes.parquet, row 42, column 'code': 'A7' is not a valid int64"), e.getMessage());
    assertThrows(MalformedInputException.class, () -> ParquetImport.from(file).withSensitivity("cod", Sensitivity.PUBLIC).schema());
  }

  @Test
  void aFileThatIsNotParquetIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("notes.parquet");
    java.nio.file.Files.writeString(file, "patient,age\np1,40\n");
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> ParquetImport.from(file).schema());
    assertTrue(e.getMessage().contains("notes.parquet"), e.getMessage());
  }
}
