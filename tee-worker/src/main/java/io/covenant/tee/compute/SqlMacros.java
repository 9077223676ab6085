package io.covenant.tee.compute;

import java.util.List;

/**
 * The SQL macros every enclave database offers, so that consumers group by coarse, policy-friendly categories
 * instead of raw quasi-identifiers.
 *
 * <ul>
 *   <li>{@code age_band(age)}: '0-9', '10-19', ..., '80-89', '90+'; NULL for NULL or negative ages.
 *   <li>{@code icd10_chapter(code)}: the chapter of an ICD-10 code by the WHO ICD-10 (2019) chapter ranges, e.g.
 *       'IV Endocrine' for E11.9. Accepts a letter, two digits and an optional sub-code ("E11", "E11.9", "E119",
 *       any case, surrounding spaces ignored); NULL for anything else, including codes in gaps between chapters
 *       (D49, D90-D99, E91-E99, H96-H99).
 * </ul>
 */
final class SqlMacros {
  private SqlMacros() {}

  static final List<String> STATEMENTS = List.of(
      """
      CREATE MACRO age_band(age) AS
        CASE
          WHEN age IS NULL OR age < 0 THEN NULL
          WHEN age >= 90 THEN '90+'
          ELSE CAST(CAST(floor(age / 10) AS BIGINT) * 10 AS VARCHAR) || '-' || CAST(CAST(floor(age / 10) AS BIGINT) * 10 + 9 AS VARCHAR)
        END
      """,
      // l: the code's letter, n: its two-digit category number.
      """
      CREATE MACRO __covenant_icd10_chapter(l, n) AS
        CASE
          WHEN l IN ('A', 'B') THEN 'I Infectious'
          WHEN l = 'C' OR (l = 'D' AND n <= 48) THEN 'II Neoplasms'
          WHEN l = 'D' AND n BETWEEN 50 AND 89 THEN 'III Blood'
          WHEN l = 'E' AND n <= 90 THEN 'IV Endocrine'
          WHEN l = 'F' THEN 'V Mental'
          WHEN l = 'G' THEN 'VI Nervous'
          WHEN l = 'H' AND n <= 59 THEN 'VII Eye'
          WHEN l = 'H' AND n BETWEEN 60 AND 95 THEN 'VIII Ear'
          WHEN l = 'I' THEN 'IX Circulatory'
          WHEN l = 'J' THEN 'X Respiratory'
          WHEN l = 'K' THEN 'XI Digestive'
          WHEN l = 'L' THEN 'XII Skin'
          WHEN l = 'M' THEN 'XIII Musculoskeletal'
          WHEN l = 'N' THEN 'XIV Genitourinary'
          WHEN l = 'O' THEN 'XV Pregnancy'
          WHEN l = 'P' THEN 'XVI Perinatal'
          WHEN l = 'Q' THEN 'XVII Congenital'
          WHEN l = 'R' THEN 'XVIII Symptoms'
          WHEN l IN ('S', 'T') THEN 'XIX Injury'
          WHEN l IN ('V', 'W', 'X', 'Y') THEN 'XX External causes'
          WHEN l = 'Z' THEN 'XXI Health services'
          WHEN l = 'U' THEN 'XXII Special purposes'
          ELSE NULL
        END
      """,
      """
      CREATE MACRO icd10_chapter(code) AS
        CASE
          WHEN regexp_full_match(upper(trim(CAST(code AS VARCHAR))), '[A-Z][0-9]{2}(\\.?[0-9A-Z]{1,4})?')
            THEN __covenant_icd10_chapter(
                substr(upper(trim(CAST(code AS VARCHAR))), 1, 1),
                CAST(substr(upper(trim(CAST(code AS VARCHAR))), 2, 2) AS INTEGER))
          ELSE NULL
        END
      """);
}
