package io.covenant.policy;

import java.util.Locale;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;

/**
 * How every SQL reader of the project (the policy analyser, the enclave's noisy release, the multi-party compiler) reads
 * the same few things from a parsed query: identifiers compare case-insensitively, quoted or not; a function's name;
 * whether an aggregate counts rows; the one column an aggregate names bare.
 */
public final class SqlSyntax {
  private SqlSyntax() {}

  /** An identifier as written, unquoted ("x", `x`, [x], with "" inside "..." meaning one "), lower case. */
  public static String unquote(String identifier) {
    if (identifier == null) return null;
    String s = identifier;
    if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
      s = s.substring(1, s.length() - 1).replace("\"\"", "\"");
    } else if (s.length() >= 2 && ((s.startsWith("`") && s.endsWith("`")) || (s.startsWith("[") && s.endsWith("]")))) {
      s = s.substring(1, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  /** The function's name, lower case ("" if it has none). */
  public static String name(Function f) {
    return f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
  }

  /** Whether the call's argument is {@code *} ({@code COUNT(*)}). */
  public static boolean isStar(Function f) {
    if (f.isAllColumns()) return true;
    ExpressionList<?> p = f.getParameters();
    return p != null && p.size() == 1 && p.get(0) instanceof AllColumns;
  }

  /** The single column the call names bare ({@code SUM(cost)}), or null for anything else. */
  public static Column singleColumn(Function f) {
    ExpressionList<?> p = f.getParameters();
    if (p == null || p.size() != 1 || !(p.get(0) instanceof Column c)) return null;
    return c;
  }

  /**
   * {@code text} as one plain SELECT, or the exception {@code refusal} makes of the reason (each reader refuses in its
   * own terms).
   */
  public static net.sf.jsqlparser.statement.select.PlainSelect plainSelect(String text,
      java.util.function.Function<String, ? extends RuntimeException> refusal) {
    net.sf.jsqlparser.statement.Statement s;
    try {
      s = net.sf.jsqlparser.parser.CCJSqlParserUtil.parse(text);
    } catch (net.sf.jsqlparser.JSQLParserException e) {
      throw refusal.apply("the query could not be parsed as SQL: " + e.getMessage().lines().findFirst().orElse(""));
    }
    if (s instanceof net.sf.jsqlparser.statement.select.PlainSelect ps) return ps;
    throw refusal.apply("the query must be one plain SELECT");
  }

  /** A piece of SQL short enough to quote in a message. */
  public static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
