package io.covenant.tee.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.mpc.sql.GroupKeyFunction;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The multi-party engine groups by Java versions of the enclave's SQL macros (its parties have no database); the
 * same query must give the same groups on both engines, so both are run on every edge case here and must agree.
 */
class GroupKeysAgreeWithTheMultiPartyEngine {
  @Test
  void ageBandsAgree() throws Exception {
    List<Object> ages = new ArrayList<>();
    for (int a = -3; a <= 125; a++) ages.add((long) a);
    for (double a : new double[] {-0.5, 0.0, 9.99, 10.0, 19.5, 89.999, 90.0, 90.5, 42.7}) ages.add(a);
    ages.add(null);
    try (Connection c = database()) {
      for (Object age : ages) {
        String sql = age instanceof Double ? "SELECT age_band(CAST(? AS DOUBLE))" : "SELECT age_band(CAST(? AS BIGINT))";
        assertEquals(macro(c, sql, age), GroupKeyFunction.AGE_BAND.apply(age), "age " + age);
      }
    }
  }

  @Test
  void icd10ChaptersAgree() throws Exception {
    List<String> codes = new ArrayList<>(List.of("E11.9", "e119", " I10 ", "C50.1", "D48", "D49", "D50", "D89", "D90", "E90", "E91", "H59", "H60",
        "H95", "H96", "U07.1", "Z00", "A0", "A000", "A00.12345", "B99.9X", "1A2", "", "   ", "E11.", "E11..9", "S72.001A", "T88", "Y99", "v01"));
    for (char l = 'A'; l <= 'Z'; l++) {
      for (int n : new int[] {0, 48, 49, 50, 59, 60, 89, 90, 91, 95, 96, 99}) codes.add(l + String.format("%02d", n));
    }
    codes.add(null);
    try (Connection c = database()) {
      for (String code : codes) {
        assertEquals(macro(c, "SELECT icd10_chapter(CAST(? AS VARCHAR))", code), GroupKeyFunction.ICD10_CHAPTER.apply(code), "code '" + code + "'");
      }
    }
  }

  @Test
  void everyMacroValueIsInTheEnginesPublicDomain() throws Exception {
    try (Connection c = database()) {
      for (long age = -1; age < 130; age++) {
        String band = macro(c, "SELECT age_band(CAST(? AS BIGINT))", age);
        assertEquals(true, GroupKeyFunction.AGE_BAND.domain().contains(band), band);
      }
    }
  }

  private static Connection database() throws Exception {
    Connection c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      for (String macro : SqlMacros.STATEMENTS) s.execute(macro);
    }
    return c;
  }

  private static String macro(Connection c, String sql, Object value) throws Exception {
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setObject(1, value);
      try (ResultSet r = p.executeQuery()) {
        r.next();
        return r.getString(1);
      }
    }
  }
}
