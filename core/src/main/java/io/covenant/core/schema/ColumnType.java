package io.covenant.core.schema;

import io.covenant.core.error.MalformedInputException;
import java.util.Locale;

/** The column types Covenant datasets carry; each maps to one Arrow type. */
public enum ColumnType {
  /** Arrow Int(64, signed). */
  INT64,
  /** Arrow FloatingPoint(DOUBLE). */
  FLOAT64,
  /** Arrow Utf8. */
  STRING,
  /** Arrow Date(DAY): days since 1970-01-01. */
  DATE;

  public static ColumnType parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new MalformedInputException("column type '" + s + "' is not known: use int64, float64, string or date");
    }
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
