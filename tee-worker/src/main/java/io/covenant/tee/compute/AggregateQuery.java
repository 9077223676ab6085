package io.covenant.tee.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * A consumer's SQL, checked to be an aggregate over the job's tables and rewritten so each output group carries its
 * cohort size. Defence in depth behind the policy check: whatever the policy decided, the enclave only returns
 * groups, never rows.
 *
 * <p>Accepted: one plain SELECT over the job's tables (joins between them allowed), with GROUP BY or with aggregate
 * functions, using only aggregates that summarise (count, sum, avg, min/max of one argument, quantiles, dispersion).
 * Refused: subqueries, WITH, set operations, window functions, {@code *} in the select list, table functions, and
 * aggregates that return member values (list, string_agg, first, any_value, arg_max, histogram, ...).
 *
 * <p>Cohort size: for every table reference {@code t} in FROM the rewrite adds
 * {@code count(DISTINCT t.rowid)}, and a group's cohort is the smallest of these. For a single table that is exactly
 * {@code COUNT(*)} of the group; unlike {@code COUNT(*)} it cannot be inflated by a join that repeats one person's
 * row many times.
 *
 * <p>One outcome channel: a query must not fail on some rows and not on others, or its failure would say whether such
 * a row exists. Besides the policy's function allowlist, every expression that could raise an error at run time
 * (arithmetic that can overflow, a macro given an out-of-range value) is evaluated inside DuckDB's {@code TRY(...)},
 * which turns any such error into NULL: the argument of each aggregate, each WHERE, HAVING and JOIN condition, and each
 * group key, select item and ORDER BY expression that is more than a column, a constant or a plain aggregate of
 * columns (see {@link #guard}). Columns, constants, comparisons of them and plain aggregates cannot fail once the
 * query is bound, so they are left as written.
 */
final class AggregateQuery {
  /** Output columns the rewrite adds start with this; consumers' queries may not use the prefix. */
  static final String COHORT_PREFIX = "__covenant_cohort_";

  private static final Set<String> SUMMARISING_AGGREGATES = Set.of(
      "count", "count_star", "count_if", "countif", "sum", "sum_no_overflow", "fsum", "sumkahan", "kahan_sum",
      "avg", "mean", "favg", "min", "max", "median", "mode", "quantile", "quantile_cont", "quantile_disc",
      "approx_quantile", "reservoir_quantile", "approx_count_distinct", "stddev", "stddev_pop", "stddev_samp",
      "variance", "var_pop", "var_samp", "sem", "mad", "kurtosis", "kurtosis_pop", "skewness", "entropy", "corr",
      "covar_pop", "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope",
      "regr_sxx", "regr_sxy", "regr_syy", "bool_and", "bool_or", "product", "bit_and", "bit_or", "bit_xor");
  /** DuckDB's min(x, n) / max(x, n) return the n extreme values themselves. */
  private static final Set<String> SINGLE_ARGUMENT_ONLY = Set.of("min", "max");

  private static final Pattern STRING_LITERAL = Pattern.compile("'(?:[^']|'')*'");
  private static final Pattern QUOTED_IDENTIFIER = Pattern.compile("\"(?:[^\"]|\"\")*\"");
  private static final Pattern SELECT_KEYWORD = Pattern.compile("(?i)\\bselect\\b");

  private final String sql;
  private final int cohortColumns;
  /** The query with every aggregate's argument guarded, without cohort columns; {@link #guard} finishes it. */
  private final String checked;
  private final List<String> references;
  /** The query as parsed and written back, before any rewrite: what the database is asked to describe. */
  private final String rendered;

  private AggregateQuery(String sql, int cohortColumns, String checked, List<String> references, String rendered) {
    this.sql = sql;
    this.cohortColumns = cohortColumns;
    this.checked = checked;
    this.references = List.copyOf(references);
    this.rendered = rendered;
  }

  /**
   * The consumer's query as the parser read it and wrote it back, without rewrites. The enclave only ever runs text
   * written back from the parse tree, never the consumer's text, so the two parsers cannot disagree about what it says
   * (JSqlParser reads {@code //} as the start of a comment, DuckDB as integer division).
   */
  String rendered() {
    return rendered;
  }

  /**
   * This query with every expression that could fail at run time wrapped in {@code TRY(...)}, and the cohort columns
   * added. {@code labels} are the database's labels of the original query's columns ({@link EnclaveDatabase#describe}):
   * a wrapped select item without an alias gets its original label, so the result's columns keep their names.
   */
  AggregateQuery guard(List<String> labels) {
    PlainSelect ps = (PlainSelect) single(checked);
    guardSlots(ps, labels);
    String guardedSelect = ps.toString();
    for (int i = 0; i < references.size(); i++) {
      ps.addSelectItem(cohortCount(references.get(i)), new Alias(COHORT_PREFIX + i));
    }
    return new AggregateQuery(ps.toString(), references.size(), guardedSelect, references, rendered);
  }

  /** The guarded query without cohort columns, after {@link #guard}: what a noisy release plans from. */
  String guardedSelect() {
    return checked;
  }

  private static void guardSlots(PlainSelect ps, List<String> labels) {
    List<SelectItem<?>> items = ps.getSelectItems();
    for (int i = 0; i < items.size(); i++) {
      SelectItem<?> item = items.get(i);
      Expression e = item.getExpression();
      if (cannotFail(e)) continue;
      @SuppressWarnings("unchecked")
      SelectItem<Expression> typed = (SelectItem<Expression>) item;
      typed.setExpression(attempt(e));
      if (item.getAlias() == null && i < labels.size()) item.setAlias(new Alias("\"" + labels.get(i).replace("\"", "\"\"") + "\""));
    }
    if (ps.getWhere() != null && !cannotFail(ps.getWhere())) ps.setWhere(attempt(ps.getWhere()));
    if (ps.getHaving() != null && !cannotFail(ps.getHaving())) ps.setHaving(attempt(ps.getHaving()));
    if (ps.getJoins() != null) {
      for (Join j : ps.getJoins()) {
        if (j.getOnExpressions() == null) continue;
        List<Expression> on = new ArrayList<>();
        for (Expression e : j.getOnExpressions()) on.add(cannotFail(e) ? e : attempt(e));
        j.setOnExpressions(on);
      }
    }
    GroupByElement g = ps.getGroupBy();
    if (g != null && g.getGroupByExpressionList() != null) {
      @SuppressWarnings("unchecked")
      List<Expression> keys = (List<Expression>) (List<?>) g.getGroupByExpressionList();
      for (int i = 0; i < keys.size(); i++) {
        if (!cannotFail(keys.get(i))) keys.set(i, attempt(keys.get(i)));
      }
    }
    if (ps.getOrderByElements() != null) {
      for (OrderByElement o : ps.getOrderByElements()) {
        if (!cannotFail(o.getExpression())) o.setExpression(attempt(o.getExpression()));
      }
    }
  }

  /** {@code TRY(e)}: DuckDB evaluates e and gives NULL where it would raise an error. */
  private static Expression attempt(Expression e) {
    Function f = new Function();
    f.setName("try");
    f.setParameters(new net.sf.jsqlparser.expression.operators.relational.ExpressionList<>(e));
    return f;
  }

  /**
   * Whether {@code e} cannot raise an error once bound: a column, a constant, a comparison, AND, OR, NOT or IS NULL of
   * such, or a plain aggregate of columns (COUNT(*), SUM(col), ...), possibly in parentheses.
   */
  static boolean cannotFail(Expression e) {
    return switch (e) {
      case null -> true;
      case net.sf.jsqlparser.schema.Column ignored -> true;
      case net.sf.jsqlparser.expression.LongValue ignored -> true;
      case net.sf.jsqlparser.expression.DoubleValue ignored -> true;
      case net.sf.jsqlparser.expression.StringValue ignored -> true;
      case net.sf.jsqlparser.expression.NullValue ignored -> true;
      case net.sf.jsqlparser.expression.BooleanValue ignored -> true;
      case net.sf.jsqlparser.expression.DateValue ignored -> true;
      case net.sf.jsqlparser.expression.TimestampValue ignored -> true;
      case net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList<?> p -> p.stream().allMatch(x -> cannotFail((Expression) x));
      case net.sf.jsqlparser.expression.operators.relational.ComparisonOperator c -> cannotFail(c.getLeftExpression()) && cannotFail(c.getRightExpression());
      case net.sf.jsqlparser.expression.operators.conditional.AndExpression a -> cannotFail(a.getLeftExpression()) && cannotFail(a.getRightExpression());
      case net.sf.jsqlparser.expression.operators.conditional.OrExpression o -> cannotFail(o.getLeftExpression()) && cannotFail(o.getRightExpression());
      case net.sf.jsqlparser.expression.NotExpression n -> cannotFail(n.getExpression());
      case net.sf.jsqlparser.expression.operators.relational.IsNullExpression n -> cannotFail(n.getLeftExpression());
      case Function f -> isPlainAggregate(f);
      default -> false;
    };
  }

  private static boolean isPlainAggregate(Function f) {
    String name = f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
    if (!SUMMARISING_AGGREGATES.contains(name)) return false;
    if (f.isAllColumns() || f.getParameters() == null) return true;
    for (Object p : f.getParameters()) {
      if (!(p instanceof net.sf.jsqlparser.schema.Column) && !(p instanceof AllColumns) && !(p instanceof net.sf.jsqlparser.expression.LongValue)
          && !(p instanceof net.sf.jsqlparser.expression.DoubleValue)) {
        return false;
      }
    }
    return true;
  }

  /** The rewritten query, safe to execute in the enclave database. */
  String sql() {
    return sql;
  }

  int cohortColumns() {
    return cohortColumns;
  }

  /**
   * Checks {@code text} against the rules above and rewrites it. {@code tables} are the job's table names;
   * {@code aggregateFunctions} are the names the database knows as aggregates.
   */
  static AggregateQuery check(String text, Set<String> tables, Set<String> aggregateFunctions) {
    if (text == null || text.isBlank()) throw new QueryRefusedException("the query is empty");
    if (text.toLowerCase(Locale.ROOT).contains("__covenant")) {
      throw new QueryRefusedException("the query uses a name starting with '__covenant', which is reserved for the enclave's output controls");
    }
    Statement statement = single(text);
    if (!(statement instanceof PlainSelect ps)) {
      throw new QueryRefusedException("the query must be one plain SELECT; " + describe(statement)
          + " is refused (UNION, VALUES, WITH and parenthesised queries cannot be checked for cohort size)");
    }
    if (ps.getWithItemsList() != null && !ps.getWithItemsList().isEmpty()) {
      throw new QueryRefusedException("WITH clauses are refused: write the aggregate directly over the job's tables");
    }
    if (ps.getIntoTables() != null || ps.getIntoTempTable() != null) throw new QueryRefusedException("SELECT INTO is refused: the enclave returns results only to the consumer");
    if (ps.getQualify() != null || ps.getWindowDefinitions() != null) {
      throw new QueryRefusedException("window functions (QUALIFY, WINDOW, OVER) are refused: they produce per-row values");
    }
    if (ps.getLateralViews() != null || ps.getOracleHierarchical() != null || ps.getKsqlWindow() != null) {
      throw new QueryRefusedException("the query uses a dialect feature (LATERAL VIEW, CONNECT BY, WINDOW) the output controls do not support");
    }

    List<String> references = tableReferences(ps, tables);
    String rendered = ps.toString();

    Inspector whole = new Inspector(aggregateFunctions);
    List<Expression> expressions = new ArrayList<>();
    boolean itemAggregates = false;
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      if (e instanceof AllColumns || e instanceof AllTableColumns) {
        throw new QueryRefusedException("'" + item + "' in the select list is refused: name the grouped columns and aggregates explicitly");
      }
      Inspector one = new Inspector(aggregateFunctions);
      e.accept(one, null);
      itemAggregates |= one.aggregates > 0;
      expressions.add(e);
    }
    if (ps.getWhere() != null) expressions.add(ps.getWhere());
    if (ps.getHaving() != null) expressions.add(ps.getHaving());
    GroupByElement groupBy = ps.getGroupBy();
    if (groupBy != null) {
      if (groupBy.getGroupByExpressionList() != null) expressions.addAll(expressionsOf(groupBy.getGroupByExpressionList()));
      if (groupBy.getGroupingSets() != null) groupBy.getGroupingSets().forEach(set -> expressions.addAll(expressionsOf(set)));
    }
    if (ps.getOrderByElements() != null) {
      for (OrderByElement o : ps.getOrderByElements()) expressions.add(o.getExpression());
    }
    if (ps.getJoins() != null) {
      for (Join j : ps.getJoins()) {
        if (j.getOnExpressions() != null) expressions.addAll(j.getOnExpressions());
      }
    }
    for (Expression e : expressions) e.accept(whole, null);
    whole.throwIfRefused();

    if (groupBy == null && !itemAggregates) {
      throw new QueryRefusedException("the query must be an aggregate: it has no GROUP BY and its select list computes no aggregate "
          + "(COUNT, SUM, AVG, ...), so it would return individual rows. Group the rows, e.g. "
          + "SELECT age_band(age) AS band, COUNT(*) FROM claims GROUP BY band");
    }
    // A scalar subquery or EXISTS hidden where the visitor does not reach would still show up as a second SELECT.
    if (selectKeywords(ps.toString()) != 1) throw new QueryRefusedException("subqueries are refused: write one aggregate over the job's tables");

    String checked = ps.toString();
    for (int i = 0; i < references.size(); i++) {
      ps.addSelectItem(cohortCount(references.get(i)), new Alias(COHORT_PREFIX + i));
    }
    return new AggregateQuery(ps.toString(), references.size(), checked, references, rendered);
  }

  /** Whether the enclave counts {@code name} (lower case) as an aggregate that summarises a group. */
  static boolean isSummarisingAggregate(String name) {
    return SUMMARISING_AGGREGATES.contains(name);
  }

  private static Statement single(String text) {
    Statements parsed;
    try {
      parsed = CCJSqlParserUtil.parseStatements(text);
    } catch (JSQLParserException e) {
      throw new QueryRefusedException("the query could not be parsed as SQL: " + firstLine(e.getMessage()), e);
    }
    if (parsed == null || parsed.size() != 1) {
      throw new QueryRefusedException("the query must be exactly one SELECT statement; found " + (parsed == null ? 0 : parsed.size()));
    }
    return parsed.get(0);
  }

  private static List<String> tableReferences(PlainSelect ps, Set<String> tables) {
    List<String> refs = new ArrayList<>();
    if (ps.getFromItem() == null) throw new QueryRefusedException("the query reads no table: name one of the job's tables " + tables + " in FROM");
    refs.add(reference(ps.getFromItem(), tables));
    if (ps.getJoins() != null) {
      for (Join j : ps.getJoins()) {
        if (j.isApply()) throw new QueryRefusedException("APPLY joins are refused");
        refs.add(reference(j.getFromItem(), tables));
      }
    }
    return refs;
  }

  private static String reference(FromItem item, Set<String> tables) {
    if (!(item instanceof Table t)) {
      throw new QueryRefusedException("'" + item + "' in FROM is refused: only the job's tables " + tables
          + " may be read (no subqueries, table functions or files)");
    }
    if (t.getSchemaName() != null || t.getDatabaseName() != null) {
      throw new QueryRefusedException("table '" + t.getFullyQualifiedName() + "' is refused: name the job's tables " + tables + " without a schema");
    }
    if (t.getPivot() != null || t.getUnPivot() != null) throw new QueryRefusedException("PIVOT and UNPIVOT are refused");
    String name = t.getUnquotedName().toLowerCase(Locale.ROOT);
    if (!tables.contains(name)) {
      throw new QueryRefusedException("table '" + t.getName() + "' is not one of this job's datasets; the job's tables are " + tables);
    }
    return t.getAlias() != null ? t.getAlias().getName() : t.getName();
  }

  private static Expression cohortCount(String reference) {
    try {
      return CCJSqlParserUtil.parseExpression("count(DISTINCT " + reference + ".rowid)");
    } catch (JSQLParserException e) {
      throw new IllegalStateException("could not build the cohort count for " + reference, e);
    }
  }

  private static List<Expression> expressionsOf(List<?> list) {
    List<Expression> out = new ArrayList<>();
    for (Object o : list) if (o instanceof Expression e) out.add(e);
    return out;
  }

  static int selectKeywords(String sql) {
    String stripped = QUOTED_IDENTIFIER.matcher(STRING_LITERAL.matcher(sql).replaceAll("''")).replaceAll("\"\"");
    Matcher m = SELECT_KEYWORD.matcher(stripped);
    int n = 0;
    while (m.find()) n++;
    return n;
  }

  private static String describe(Statement s) {
    return s instanceof Select ? "a " + s.getClass().getSimpleName() : "a " + s.getClass().getSimpleName() + " statement";
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }

  /** Walks expressions, remembering what the output controls must refuse. */
  private static final class Inspector extends ExpressionVisitorAdapter<Void> {
    private final Set<String> aggregateFunctions;
    int aggregates;
    String refusal;

    Inspector(Set<String> aggregateFunctions) {
      this.aggregateFunctions = aggregateFunctions;
    }

    void throwIfRefused() {
      if (refusal != null) throw new QueryRefusedException(refusal);
    }

    private void refuse(String why) {
      if (refusal == null) refusal = why;
    }

    @Override
    public <S> Void visit(Function f, S context) {
      String name = f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
      if (aggregateFunctions.contains(name) || SUMMARISING_AGGREGATES.contains(name)) {
        aggregates++;
        if (!SUMMARISING_AGGREGATES.contains(name)) {
          refuse("aggregate " + f.getName() + "() is refused: it returns members' values rather than a summary of them; "
              + "use count, sum, avg, min, max, median, quantile or stddev");
        } else if (SINGLE_ARGUMENT_ONLY.contains(name) && f.getParameters() != null && f.getParameters().size() > 1) {
          refuse(f.getName() + "() with more than one argument returns several members' values and is refused; use " + f.getName() + "(column)");
        }
        // An error inside an aggregate's argument would fail the whole query on one row: evaluate it under TRY.
        if (f.getParameters() != null) {
          @SuppressWarnings("unchecked")
          List<Expression> args = (List<Expression>) (List<?>) f.getParameters();
          for (int i = 0; i < args.size(); i++) {
            Expression a = args.get(i);
            if (!(a instanceof AllColumns) && !cannotFail(a)) args.set(i, attempt(a));
          }
        }
      }
      return super.visit(f, context);
    }

    @Override
    public <S> Void visit(AnalyticExpression a, S context) {
      refuse("window function '" + a + "' is refused: window functions produce per-row values");
      return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect s, S context) {
      refuse("subquery '" + s + "' is refused: write one aggregate over the job's tables");
      return null;
    }

    @Override
    public <S> Void visit(Select s, S context) {
      refuse("subquery '" + s + "' is refused: write one aggregate over the job's tables");
      return null;
    }
  }
}
