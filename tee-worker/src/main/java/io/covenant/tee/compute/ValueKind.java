package io.covenant.tee.compute;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The type of one result column, so a sealed result opens to the same Java values it was sealed from: JSON alone
 * cannot tell 2 from 2.0. Integers open as Long (BigInteger beyond 64 bits), floats as Double, decimals as
 * BigDecimal, dates as LocalDate.
 */
enum ValueKind {
  INTEGER, FLOAT, DECIMAL, STRING, BOOLEAN, DATE;

  /** The kind of a DuckDB column type name as JDBC reports it, e.g. BIGINT, DECIMAL(18,3), VARCHAR. */
  static ValueKind ofSqlType(String typeName) {
    String t = typeName.toUpperCase(Locale.ROOT);
    if (t.startsWith("DECIMAL")) return DECIMAL;
    return switch (t) {
      case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT" -> INTEGER;
      case "FLOAT", "DOUBLE" -> FLOAT;
      case "BOOLEAN" -> BOOLEAN;
      case "DATE" -> DATE;
      default -> STRING;
    };
  }

  String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ValueKind parse(String wire) {
    try {
      return valueOf(wire.toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new MalformedInputException("result column type '" + wire + "' is not known");
    }
  }

  /** Integers that fit in 64 bits become Long, so equal values compare equal whatever width the database used. */
  static Object integer(Object n) {
    BigInteger b = switch (n) {
      case BigInteger x -> x;
      case BigDecimal x -> x.toBigIntegerExact();
      case Number x -> BigInteger.valueOf(x.longValue());
      default -> throw new MalformedInputException("expected an integer, got " + n.getClass().getSimpleName());
    };
    return b.bitLength() < 64 ? (Object) b.longValue() : b;
  }

  Json toJson(Object value) {
    if (value == null) return Json.NULL;
    return switch (this) {
      case INTEGER, DECIMAL -> Json.from(value);
      case FLOAT -> {
        double d = (Double) value;
        yield Double.isFinite(d) ? Json.from(d) : Json.of(Double.toString(d));
      }
      case BOOLEAN -> Json.of((Boolean) value);
      case DATE, STRING -> Json.of(value.toString());
    };
  }

  Object fromJson(Json j) {
    if (j instanceof Json.JNull) return null;
    try {
      return switch (this) {
        case INTEGER -> integer(((Json.JNumber) j).value());
        case DECIMAL -> ((Json.JNumber) j).value();
        case FLOAT -> j instanceof Json.JString s ? Double.valueOf(s.value()) : ((Json.JNumber) j).value().doubleValue();
        case BOOLEAN -> ((Json.JBool) j).value();
        case DATE -> LocalDate.parse(((Json.JString) j).value());
        case STRING -> ((Json.JString) j).value();
      };
    } catch (ClassCastException | ArithmeticException | DateTimeParseException | NumberFormatException e) {
      throw new MalformedInputException("a result value does not match its column type " + wireName());
    }
  }
}
