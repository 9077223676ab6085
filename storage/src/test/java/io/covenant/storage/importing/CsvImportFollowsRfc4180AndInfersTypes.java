package io.covenant.storage.importing;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.dataset.ArrowSchemas;
import io.covenant.storage.dataset.DatasetPublisher;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.PublishedDataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvImportFollowsRfc4180AndInfersTypes {
  @TempDir Path dir;

  static List<List<Object>> publishAndRead(Path dir, CsvImport imp, int expectedBatches) {
    LocalBlockstore store = new LocalBlockstore(dir.resolve("blocks"));
    DataKey key = DataKey.generate();
    SigningKey owner = SigningKey.generate();
    List<List<Object>> rows = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      PublishedDataset p;
      int[] batches = {0};
      try (CsvBatches b = imp.batches(allocator)) {
        java.util.Iterator<VectorSchemaRoot> counting = new java.util.Iterator<>() {
          public boolean hasNext() { return b.hasNext(); }
          public VectorSchemaRoot next() { batches[0]++; return b.next(); }
        };
        p = new DatasetPublisher(store).publish(DatasetVersion.parse("hospital-a/visits@1"), b.schema(), counting, key, owner);
      }
      if (expectedBatches > 0) assertEquals(expectedBatches, batches[0]);
      new DatasetReader(store).forEachBatch(p.manifest(), key, allocator, root -> rows.addAll(values(root)));
    }
    return rows;
  }

  static List<List<Object>> values(VectorSchemaRoot root) {
    List<List<Object>> out = new ArrayList<>();
    for (int r = 0; r < root.getRowCount(); r++) {
      List<Object> row = new ArrayList<>();
      for (FieldVector v : root.getFieldVectors()) {
        if (v.isNull(r)) row.add(null);
        else if (v instanceof VarCharVector s) row.add(new String(s.get(r), StandardCharsets.UTF_8));
        else if (v instanceof DateDayVector d) row.add(LocalDate.ofEpochDay(d.get(r)));
        else row.add(v.getObject(r));
      }
      out.add(row);
    }
    return out;
  }

  @Test
  void quotedCommasLineBreaksAndQuotesSurviveAndTypesAreInferred() throws IOException {
    Path csv = dir.resolve("visits.csv");
    String text = "\uFEFFpatient,age,cost,visit,zip,note\r\n"
        + "p1,34,12.5,2024-01-31,01234,plain\r\n"
        + "\"p,2\",,7,2024-02-29,99999,\"she said \"\"hi\"\"\"\r\n"
        + "p3,-5,,,,\"two\r\nlines\"\r\n"
        + "p4,0,1e3,2023-12-01,10001,\"\"\n"
        + "p5,71,-0.25,2020-06-15,02134,";
    Files.writeString(csv, text, StandardCharsets.UTF_8);
    CsvImport imp = CsvImport.from(csv).withSensitivity("patient", Sensitivity.IDENTIFIER).withSensitivity("age", Sensitivity.QUASI_IDENTIFIER);

    DatasetSchema schema = imp.schema();
    assertEquals(List.of(
        new Column("patient", ColumnType.STRING, Sensitivity.IDENTIFIER),
        new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
        new Column("cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
        new Column("visit", ColumnType.DATE, Sensitivity.SENSITIVE),
        new Column("zip", ColumnType.STRING, Sensitivity.SENSITIVE),
        new Column("note", ColumnType.STRING, Sensitivity.SENSITIVE)), schema.columns());
    assertEquals(new org.apache.arrow.vector.types.pojo.Field("patient", new org.apache.arrow.vector.types.pojo.FieldType(true,
        org.apache.arrow.vector.types.pojo.ArrowType.Utf8.INSTANCE, null, java.util.Map.of(ArrowSchemas.SENSITIVITY, "identifier")), null),
        ArrowSchemas.toArrow(schema).getFields().get(0));

    List<List<Object>> rows = publishAndRead(dir, imp.withBatchRows(2), 3);
    assertEquals(List.of(
        Arrays.asList("p1", 34L, 12.5, LocalDate.of(2024, 1, 31), "01234", "plain"),
        Arrays.asList("p,2", null, 7.0, LocalDate.of(2024, 2, 29), "99999", "she said \"hi\""),
        Arrays.asList("p3", -5L, null, null, null, "two\r\nlines"),
        Arrays.asList("p4", 0L, 1000.0, LocalDate.of(2023, 12, 1), "10001", ""),
        Arrays.asList("p5", 71L, -0.25, LocalDate.of(2020, 6, 15), "02134", null)), rows);
  }

  @Test
  void explicitTypesOverrideInference() throws IOException {
    Path csv = dir.resolve("codes.csv");
    Files.writeString(csv, "code,amount,day\n007,3,2024-01-01\n12,4,2024-01-02\n", StandardCharsets.UTF_8);
    assertEquals(List.of(ColumnType.STRING, ColumnType.INT64, ColumnType.DATE),
        CsvImport.from(csv).schema().columns().stream().map(Column::type).toList());

    CsvImport imp = CsvImport.from(csv).withType("code", ColumnType.INT64).withType("amount", ColumnType.FLOAT64).withType("day", ColumnType.STRING);
    assertEquals(List.of(ColumnType.INT64, ColumnType.FLOAT64, ColumnType.STRING), imp.schema().columns().stream().map(Column::type).toList());
    assertEquals(List.of(Arrays.asList(7L, 3.0, "2024-01-01"), Arrays.asList(12L, 4.0, "2024-01-02")), publishAndRead(dir, imp, 1));
  }
}
