package io.covenant.mpc.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grouping functions a multi-party aggregate may group by. Each has a public, finite domain, so the committee
 * can align every owner's per-group partial aggregates by position without anyone learning which groups an owner
 * holds: an owner's vector has an entry for every value of the domain, zero where it has no rows.
 *
 * <p>They compute exactly what the enclave database's SQL macros of the same names compute (tee-worker's
 * {@code SqlMacros}; a test there checks both agree on every edge case), so the same SQL gives the same groups on
 * both engines. The last value of every domain is SQL NULL (no band, no chapter).
 */
public enum GroupKeyFunction {
  /** '0-9', '10-19', ..., '80-89', '90+'; NULL for NULL or negative ages. */
  AGE_BAND("age_band", ageBands()),
  /** The chapter of an ICD-10 code by the WHO ICD-10 (2019) chapter ranges; NULL for anything else. */
  ICD10_CHAPTER("icd10_chapter", List.of(
      "I Infectious", "II Neoplasms", "III Blood", "IV Endocrine", "V Mental", "VI Nervous", "VII Eye", "VIII Ear",
      "IX Circulatory", "X Respiratory", "XI Digestive", "XII Skin", "XIII Musculoskeletal", "XIV Genitourinary",
      "XV Pregnancy", "XVI Perinatal", "XVII Congenital", "XVIII Symptoms", "XIX Injury", "XX External causes",
      "XXI Health services", "XXII Special purposes"));

  private static final Pattern ICD10 = Pattern.compile("[A-Z][0-9]{2}(\\.?[0-9A-Z]{1,4})?");

  private final String sqlName;
  private final List<String> domain;

  GroupKeyFunction(String sqlName, List<String> values) {
    this.sqlName = sqlName;
    List<String> withNull = new ArrayList<>(values);
    withNull.add(null);
    this.domain = Collections.unmodifiableList(withNull);
  }

  public String sqlName() {
    return sqlName;
  }

  /** Every value the function can return, in a fixed order, SQL NULL (Java null) last. */
  public List<String> domain() {
    return domain;
  }

  public static Optional<GroupKeyFunction> bySqlName(String name) {
    for (GroupKeyFunction f : values()) {
      if (f.sqlName.equalsIgnoreCase(name)) return Optional.of(f);
    }
    return Optional.empty();
  }

  /** The function's value for one cell (an Arrow value: a number, or text), or null. */
  public String apply(Object cell) {
    return switch (this) {
      case AGE_BAND -> ageBand(cell);
      case ICD10_CHAPTER -> icd10Chapter(cell);
    };
  }

  /** Position of {@code value} in {@link #domain()}. */
  public int indexOf(String value) {
    int i = domain.indexOf(value);
    if (i < 0) throw new IllegalStateException(sqlName + " returned '" + value + "', which is not in its domain");
    return i;
  }

  private static List<String> ageBands() {
    List<String> bands = new ArrayList<>();
    for (int low = 0; low < 90; low += 10) bands.add(low + "-" + (low + 9));
    bands.add("90+");
    return bands;
  }

  private static String ageBand(Object cell) {
    if (cell == null) return null;
    double age = cell instanceof Number n ? n.doubleValue() : Double.parseDouble(cell.toString().trim());
    if (Double.isNaN(age) || age < 0) return null;
    if (age >= 90) return "90+";
    long low = (long) Math.floor(age / 10) * 10;
    return low + "-" + (low + 9);
  }

  private static String icd10Chapter(Object cell) {
    if (cell == null) return null;
    String code = cell.toString().trim().toUpperCase(Locale.ROOT);
    if (!ICD10.matcher(code).matches()) return null;
    char l = code.charAt(0);
    int n = Integer.parseInt(code.substring(1, 3));
    return switch (l) {
      case 'A', 'B' -> "I Infectious";
      case 'C' -> "II Neoplasms";
      case 'D' -> n <= 48 ? "II Neoplasms" : n >= 50 && n <= 89 ? "III Blood" : null;
      case 'E' -> n <= 90 ? "IV Endocrine" : null;
      case 'F' -> "V Mental";
      case 'G' -> "VI Nervous";
      case 'H' -> n <= 59 ? "VII Eye" : n >= 60 && n <= 95 ? "VIII Ear" : null;
      case 'I' -> "IX Circulatory";
      case 'J' -> "X Respiratory";
      case 'K' -> "XI Digestive";
      case 'L' -> "XII Skin";
      case 'M' -> "XIII Musculoskeletal";
      case 'N' -> "XIV Genitourinary";
      case 'O' -> "XV Pregnancy";
      case 'P' -> "XVI Perinatal";
      case 'Q' -> "XVII Congenital";
      case 'R' -> "XVIII Symptoms";
      case 'S', 'T' -> "XIX Injury";
      case 'V', 'W', 'X', 'Y' -> "XX External causes";
      case 'Z' -> "XXI Health services";
      case 'U' -> "XXII Special purposes";
      default -> null;
    };
  }
}
