package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

class AgeBandAndIcd10ChapterMacros {

  /** Loads one column of values, locks the database and maps each value through {@code expression}. */
  private static Map<Object, Object> mapThrough(ColumnType type, List<Object> inputs, String expression) {
    DatasetSchema schema = new DatasetSchema(List.of(new Column("v", type, Sensitivity.PUBLIC)));
    List<Object[]> rows = new ArrayList<>();
    for (Object i : inputs) rows.add(new Object[] {i});
    try (BufferAllocator allocator = new RootAllocator();
        VectorSchemaRoot batch = Batches.of(allocator, schema, rows);
        EnclaveDatabase db = EnclaveDatabase.open()) {
      db.createTable("t", schema, "test input");
      db.append("t", batch, "test input");
      db.lock();
      AggregateQuery q = AggregateQuery.check(
          "SELECT v, " + expression + " AS out FROM t GROUP BY v, out", db.tables(), EnclaveDatabase.knownAggregateFunctions());
      Map<Object, Object> out = new HashMap<>();
      for (List<Object> r : db.run(q, 1).rows()) out.put(r.get(0), r.get(1));
      return out;
    }
  }

  @Test
  void ageBands() {
    Map<Long, String> expected = new LinkedHashMap<>();
    expected.put(0L, "0-9");
    expected.put(9L, "0-9");
    expected.put(10L, "10-19");
    expected.put(19L, "10-19");
    expected.put(20L, "20-29");
    expected.put(35L, "30-39");
    expected.put(44L, "40-49");
    expected.put(50L, "50-59");
    expected.put(61L, "60-69");
    expected.put(79L, "70-79");
    expected.put(80L, "80-89");
    expected.put(89L, "80-89");
    expected.put(90L, "90+");
    expected.put(104L, "90+");
    expected.put(-1L, null);
    List<Object> inputs = new ArrayList<>(expected.keySet());
    inputs.add(null);
    Map<Object, Object> actual = mapThrough(ColumnType.INT64, inputs, "age_band(v)");
    expected.forEach((age, band) -> assertEquals(band, actual.get(age), "age " + age));
    assertEquals(null, actual.get(null), "NULL age");
  }

  @Test
  void fractionalAgesFallInTheBandOfTheirWholeYears() {
    Map<Object, Object> actual = mapThrough(ColumnType.FLOAT64, List.of(9.99, 10.0, 89.5, 90.0), "age_band(v)");
    assertEquals("0-9", actual.get(9.99));
    assertEquals("10-19", actual.get(10.0));
    assertEquals("80-89", actual.get(89.5));
    assertEquals("90+", actual.get(90.0));
  }

  @Test
  void icd10ChaptersFollowTheWho2019Ranges() {
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("A00", "I Infectious");
    expected.put("B99", "I Infectious");
    expected.put("C00", "II Neoplasms");
    expected.put("C97", "II Neoplasms");
    expected.put("D00", "II Neoplasms");
    expected.put("D48.9", "II Neoplasms");
    expected.put("D49", null);
    expected.put("D50", "III Blood");
    expected.put("D89", "III Blood");
    expected.put("D90", null);
    expected.put("E00", "IV Endocrine");
    expected.put("E11.9", "IV Endocrine");
    expected.put("E119", "IV Endocrine");
    expected.put("E90", "IV Endocrine");
    expected.put("E91", null);
    expected.put("F32", "V Mental");
    expected.put("G40", "VI Nervous");
    expected.put("H00", "VII Eye");
    expected.put("H59", "VII Eye");
    expected.put("H60", "VIII Ear");
    expected.put("H95", "VIII Ear");
    expected.put("H96", null);
    expected.put("I21.0", "IX Circulatory");
    expected.put("J45", "X Respiratory");
    expected.put("K35", "XI Digestive");
    expected.put("L40", "XII Skin");
    expected.put("M54.5", "XIII Musculoskeletal");
    expected.put("N18", "XIV Genitourinary");
    expected.put("O80", "XV Pregnancy");
    expected.put("P07", "XVI Perinatal");
    expected.put("Q21", "XVII Congenital");
    expected.put("R50", "XVIII Symptoms");
    expected.put("S72.0", "XIX Injury");
    expected.put("T14", "XIX Injury");
    expected.put("V43", "XX External causes");
    expected.put("W19", "XX External causes");
    expected.put("X59", "XX External causes");
    expected.put("Y84", "XX External causes");
    expected.put("Z00.0", "XXI Health services");
    expected.put("U07.1", "XXII Special purposes");
    expected.put(" e11.9 ", "IV Endocrine");
    expected.put("i10", "IX Circulatory");
    expected.put("E1", null);
    expected.put("11E", null);
    expected.put("E11 and more", null);
    expected.put("", null);
    Map<Object, Object> actual = mapThrough(ColumnType.STRING, new ArrayList<>(expected.keySet()), "icd10_chapter(v)");
    expected.forEach((code, chapter) -> assertEquals(chapter, actual.get(code), "code '" + code + "'"));
  }
}
