package io.covenant.policy;

import io.covenant.core.schema.DatasetSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.AllValue;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.AnalyticType;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.CollateExpression;
import net.sf.jsqlparser.expression.DateTimeLiteralExpression;
import net.sf.jsqlparser.expression.DateValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.IntervalExpression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TimeValue;
import net.sf.jsqlparser.expression.TimestampValue;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExistsExpression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.expression.operators.relational.RegExpMatchOperator;
import net.sf.jsqlparser.expression.operators.relational.SimilarToExpression;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.schema.Column;
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
import net.sf.jsqlparser.statement.select.SetOperationList;

/**
 * Finds where a SQL query uses each column of one table, by walking the syntax tree JSqlParser builds.
 *
 * <p>The walk fails closed: any construct it does not know (a subquery, a window function, a set operation, an
 * unfamiliar expression type) becomes a problem, so the query is refused rather than half-understood. Scalar
 * functions are transparent ({@code age_band(age)} in GROUP BY is a GROUP BY use of {@code age}); only the aggregate
 * functions in {@link #AGGREGATES} turn a use into an aggregate use. Inside an aggregate, a column that appears in a
 * condition (CASE WHEN, FILTER (WHERE ...), a comparison) chooses rows rather than being aggregated.
 *
 * <p>The walk is also where the query's single outcome channel is kept: a query that could fail on some rows and
 * not on others would tell its consumer, by failing, whether such a row exists. So functions are allowed from a list
 * ({@link #AGGREGATES}, {@link #SCALAR_FUNCTIONS}) and anything else is refused by name ({@code function:NAME});
 * {@code CAST} is refused in favour of {@code TRY_CAST}, which yields NULL where a cast would fail ({@code cast});
 * division and remainder are allowed only by a positive constant ({@code division}); and every table in FROM must be
 * one of the job's ({@code table:NAME}).
 */
final class QueryAnalyzer {
  /** Aggregates whose result describes a group, not a row. The _POP/_SAMP forms are the same statistics. */
  static final Set<String> AGGREGATES = Set.of(
      "COUNT", "SUM", "AVG", "MIN", "MAX", "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "MEDIAN",
      "MODE", "QUANTILE", "QUANTILE_CONT", "QUANTILE_DISC");
  /**
   * Aggregates whose value is one record's value (the smallest, largest, middle or most frequent): on a sensitive
   * column they are per-row disclosure, allowed only where the policy sets {@code privacy.orderStatistics}.
   */
  static final Set<String> ORDER_STATISTICS = Set.of("MIN", "MAX", "MEDIAN", "MODE", "QUANTILE", "QUANTILE_CONT", "QUANTILE_DISC");
  /**
   * Scalar functions a query may call: the enclave's macros and functions that return a value (or NULL) for every
   * input of the types they accept, so they cannot fail on some rows and not on others. Anything else is refused.
   */
  static final Set<String> SCALAR_FUNCTIONS = Set.of(
      "AGE_BAND", "ICD10_CHAPTER",
      "COALESCE", "IFNULL", "NULLIF", "LEAST", "GREATEST",
      "LOWER", "UPPER", "TRIM", "LTRIM", "RTRIM", "LENGTH", "CONCAT", "STARTS_WITH", "CONTAINS",
      "ROUND", "FLOOR", "CEIL", "CEILING",
      "YEAR", "MONTH", "QUARTER", "DAYOFWEEK", "ISODOW");
  /** Parts EXTRACT may take: each is defined for every date. */
  private static final Set<String> EXTRACT_PARTS = Set.of("YEAR", "QUARTER", "MONTH", "DAY", "DOW", "ISODOW", "WEEK", "DOY");
  /**
   * Parts DATE_TRUNC may take, as its first argument and a constant: truncating a date to any of them is defined for
   * every date, so the call cannot fail on some rows and not others.
   */
  private static final Set<String> DATE_TRUNC_PARTS = Set.of("YEAR", "QUARTER", "MONTH", "WEEK", "DAY");
  /** Aggregates that return individual values (lists of them, or the row holding an extreme). */
  private static final Set<String> REVEALING = Set.of(
      "ARRAY_AGG", "STRING_AGG", "GROUP_CONCAT", "LISTAGG", "LIST", "JSON_AGG", "JSONB_AGG", "JSON_GROUP_ARRAY",
      "JSON_GROUP_OBJECT", "ARG_MAX", "ARG_MIN", "ARGMAX", "ARGMIN", "MAX_BY", "MIN_BY", "FIRST", "LAST", "ANY_VALUE",
      "ARBITRARY", "HISTOGRAM", "COLLECT_LIST", "COLLECT_SET");
  static final int MAX_SQL_CHARS = 65_536;
  static final int MAX_DEPTH = 200;

  private final String tableName;
  private final String datasetName;
  private final Set<String> schemaColumns;
  private final Set<String> jobTables;

  private final List<ColumnUse> uses = new ArrayList<>();
  private final List<AggregateCall> aggregateCalls = new ArrayList<>();
  private boolean joined;
  private final List<PolicyDecision.Finding> problems = new ArrayList<>();
  /** FROM-clause names (alias, else table name), lower case, to whether they are the governed table. */
  private final Map<String, Boolean> instances = new LinkedHashMap<>();
  private final Map<String, Expression> selectAliases = new HashMap<>();
  private List<SelectItem<?>> selectItems = List.of();
  private boolean sawAggregate;
  private boolean grouped;

  // Walk context.
  private Place base = Place.SELECT;
  private String clause = "SELECT";
  private String aggregate;
  private boolean condition;
  private boolean resolvingAlias;
  private int depth;

  private QueryAnalyzer(String tableName, String datasetName, DatasetSchema schema, Set<String> jobTables) {
    this.tableName = tableName.toLowerCase(Locale.ROOT);
    this.datasetName = datasetName;
    this.schemaColumns = Set.copyOf(schema.names());
    this.jobTables = jobTables.stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(java.util.stream.Collectors.toUnmodifiableSet());
  }

  /**
   * Analyses {@code sql} for the table {@code tableName}, whose columns are {@code schema}'s; {@code jobTables} are the
   * tables of every dataset in the job, the only ones the query may read.
   */
  static QueryAnalysis analyze(String sql, String tableName, String datasetName, DatasetSchema schema, Set<String> jobTables) {
    QueryAnalyzer a = new QueryAnalyzer(tableName, datasetName, schema, jobTables);
    a.run(sql);
    return new QueryAnalysis(a.uses, a.sawAggregate || a.grouped, a.problems, a.aggregateCalls, a.joined);
  }

  private void run(String sql) {
    if (sql.length() > MAX_SQL_CHARS) {
      problem("sql", "the query is " + sql.length() + " characters long; the limit is " + MAX_SQL_CHARS);
      return;
    }
    int nesting = CCJSqlParserUtil.getNestingDepth(sql);
    if (nesting > MAX_DEPTH / 4) {
      problem("sql", "the query nests parentheses " + nesting + " levels deep; the limit is " + MAX_DEPTH / 4);
      return;
    }
    Statements statements;
    try {
      statements = parse(sql);
    } catch (ParseException e) {
      problem("sql", "the query could not be parsed: " + parseError(e));
      return;
    } catch (RuntimeException e) { // the tokenizer reports bad characters and unclosed quotes this way
      problem("sql", "the query could not be parsed: " + firstLine(e.getMessage()));
      return;
    }
    if (statements.size() != 1) {
      problem("sql", "the request holds " + statements.size() + " SQL statements; submit exactly one SELECT query");
      return;
    }
    Statement statement = statements.get(0);
    if (!(statement instanceof Select select)) {
      problem("sql", "only a SELECT query may run on shared data, but this is a " + kind(statement) + " statement");
      return;
    }
    while (select instanceof ParenthesedSelect p && p.getSelect() != null && noExtras(p)) select = p.getSelect();
    if (select.getWithItemsList() != null && !select.getWithItemsList().isEmpty()) {
      unsupported("WITH (common table expressions)");
      return;
    }
    switch (select) {
      case PlainSelect ps -> plainSelect(ps);
      case SetOperationList ignored -> unsupported("UNION, INTERSECT or EXCEPT");
      default -> unsupported(select.getClass().getSimpleName());
    }
  }

  private static boolean noExtras(ParenthesedSelect p) {
    return (p.getOrderByElements() == null || p.getOrderByElements().isEmpty()) && p.getLimit() == null && p.getOffset() == null;
  }

  /**
   * Parses on the caller's thread, as CCJSqlParserUtil does but without its executor: simple grammar first, then the
   * slower complex grammar. The length and nesting limits checked before keep the parse time bounded.
   */
  private static Statements parse(String sql) throws ParseException {
    try {
      return ((CCJSqlParser) CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(false)).Statements();
    } catch (ParseException simpleGrammarFailed) {
      return ((CCJSqlParser) CCJSqlParserUtil.newParser(sql).withAllowComplexParsing(true)).Statements();
    }
  }

  private static String parseError(ParseException e) {
    if (e.currentToken != null) {
      Token bad = e.currentToken.next != null ? e.currentToken.next : e.currentToken;
      String what = bad.kind == 0 ? "the query ends too early" : "unexpected \"" + bad.image + "\"";
      return what + " at line " + bad.beginLine + ", column " + bad.beginColumn;
    }
    return firstLine(e.getMessage());
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) return "no reason given";
    String m = message.strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl).strip();
  }

  private static String kind(Statement s) {
    String n = s.getClass().getSimpleName();
    return n.toUpperCase(Locale.ROOT);
  }

  private void plainSelect(PlainSelect ps) {
    if (ps.getIntoTables() != null && !ps.getIntoTables().isEmpty()) {
      unsupported("SELECT ... INTO");
      return;
    }
    if (ps.getWindowDefinitions() != null && !ps.getWindowDefinitions().isEmpty()) {
      unsupported("WINDOW definitions");
      return;
    }
    if (ps.getQualify() != null) {
      unsupported("QUALIFY");
      return;
    }
    List<Expression> counts = new ArrayList<>();
    if (ps.getLimit() != null) {
      counts.add(ps.getLimit().getRowCount());
      counts.add(ps.getLimit().getOffset());
      if (ps.getLimit().getByExpressions() != null) counts.addAll(ps.getLimit().getByExpressions());
    }
    if (ps.getLimitBy() != null) counts.add(ps.getLimitBy().getRowCount());
    if (ps.getOffset() != null) counts.add(ps.getOffset().getOffset());
    if (ps.getFetch() != null) counts.add(ps.getFetch().getExpression());
    if (ps.getTop() != null) counts.add(ps.getTop().getExpression());
    for (Expression e : counts) {
      // A computed row count (LIMIT (SELECT ...)) would let the number of result rows answer a question about a record.
      if (e != null && !(e instanceof LongValue) && !(e instanceof NullValue) && !(e instanceof AllValue)) {
        unsupported("a computed LIMIT, OFFSET, FETCH or TOP (" + abbreviate(e.toString()) + "); use a plain number");
        return;
      }
    }
    if (ps.getFromItem() == null) {
      problem("sql", "the query does not read table " + tableName + " (dataset " + datasetName + "); name it in FROM");
      return;
    }
    if (!fromItem(ps.getFromItem())) return;
    List<Join> joins = ps.getJoins() == null ? List.of() : ps.getJoins();
    joined = !joins.isEmpty();
    for (Join j : joins) {
      if (j.isNatural()) {
        unsupported("NATURAL JOIN (its keys are implicit; name them with JOIN ... ON)");
        return;
      }
      if (j.isApply()) {
        unsupported("APPLY joins");
        return;
      }
      if (!fromItem(j.getRightItem())) return;
    }
    if (!instances.containsValue(Boolean.TRUE)) {
      problem("sql", "the query does not read table " + tableName + " (dataset " + datasetName + "); name it in FROM");
      return;
    }

    selectItems = ps.getSelectItems();
    for (SelectItem<?> item : selectItems) {
      if (item.getAlias() != null) selectAliases.put(unquote(item.getAlias().getName()), item.getExpression());
    }
    grouped = ps.getGroupBy() != null;

    in(Place.SELECT, "SELECT", () -> {
      if (ps.getDistinct() != null && ps.getDistinct().getOnSelectItems() != null) {
        for (SelectItem<?> item : ps.getDistinct().getOnSelectItems()) walk(item.getExpression());
      }
      for (SelectItem<?> item : selectItems) {
        Expression e = item.getExpression();
        if (e instanceof AllColumns) {
          problem("select-star", "the query selects every column with *; name the group keys and aggregates it needs instead");
        } else if (e instanceof AllTableColumns atc) {
          String q = atc.getTable() == null ? null : unquote(atc.getTable().getName());
          if (q == null || !Boolean.FALSE.equals(instances.get(q))) {
            problem("select-star", "the query selects every column of " + (q == null ? tableName : q) + " with *; name the group keys and aggregates it needs instead");
          }
        } else {
          walk(e);
        }
      }
    });
    in(Place.WHERE, "WHERE", () -> walk(ps.getWhere()));
    for (Join j : joins) {
      if (j.getUsingColumns() != null) {
        in(Place.JOIN_KEY, "JOIN", () -> j.getUsingColumns().forEach(c -> {
          String name = unquote(c.getColumnName());
          if (schemaColumns.contains(name)) record(name);
        }));
      }
      if (j.getOnExpressions() != null) j.getOnExpressions().forEach(this::joinCondition);
    }
    GroupByElement g = ps.getGroupBy();
    if (g != null) {
      if ((g.getGroupingSets() != null && !g.getGroupingSets().isEmpty()) || g.isMysqlWithRollup()) {
        unsupported("GROUPING SETS, ROLLUP or CUBE");
      }
      in(Place.GROUP_BY, "GROUP BY", () -> {
        for (Object o : g.getGroupByExpressionList()) {
          Expression e = (Expression) o;
          if (e instanceof Function f && Set.of("ROLLUP", "CUBE", "GROUPING SETS").contains(upper(f.getName()))) {
            unsupported("GROUPING SETS, ROLLUP or CUBE");
          } else {
            positional(e);
          }
        }
      });
    }
    in(Place.HAVING, "HAVING", () -> walk(ps.getHaving()));
    if (ps.getOrderByElements() != null) {
      in(Place.ORDER_BY, "ORDER BY", () -> {
        for (OrderByElement o : ps.getOrderByElements()) positional(o.getExpression());
      });
    }
  }

  /** Registers a FROM item; false if the query reads something other than a plain table. */
  private boolean fromItem(FromItem item) {
    if (!(item instanceof Table t)) {
      unsupported(item instanceof Select ? "subqueries in FROM" : "FROM items other than tables (" + item.getClass().getSimpleName() + ")");
      return false;
    }
    if (t.getPivot() != null || t.getUnPivot() != null) {
      unsupported("PIVOT and UNPIVOT");
      return false;
    }
    String name = unquote(t.getName());
    boolean ours = name.equals(tableName);
    if (!ours && !jobTables.contains(name)) {
      problem("table:" + name, "the query reads table " + name + ", which is not one of the job's datasets (" + String.join(", ",
          new java.util.TreeSet<>(jobTables)) + "); a job may read only the tables of the datasets it names, each under its owner's policy");
    }
    String key = t.getAlias() != null ? unquote(t.getAlias().getName()) : name;
    Boolean before = instances.put(key, ours);
    if (ours) instances.putIfAbsent(tableName, Boolean.TRUE); // qualifying by table name despite an alias: still ours
    if (before != null && before != ours) {
      problem("sql", "the name " + key + " stands for two different tables in FROM; give each an alias");
      return false;
    }
    return true;
  }

  /** A GROUP BY or ORDER BY item: {@code 2} means the second SELECT item. */
  private void positional(Expression e) {
    if (e instanceof LongValue n) {
      long i = n.getValue();
      if (i < 1 || i > selectItems.size()) {
        problem("sql", clause + " " + i + " does not name a SELECT item: the query selects " + selectItems.size());
        return;
      }
      walkResolved(selectItems.get((int) i - 1).getExpression());
    } else {
      walk(e);
    }
  }

  private void joinCondition(Expression on) {
    Expression e = unwrap(on);
    if (e instanceof AndExpression and) {
      joinCondition(and.getLeftExpression());
      joinCondition(and.getRightExpression());
    } else if (e instanceof EqualsTo eq && isKeyEquality(eq)) {
      in(Place.JOIN_KEY, "JOIN", () -> {
        walk(eq.getLeftExpression());
        walk(eq.getRightExpression());
      });
    } else {
      in(Place.JOIN_CONDITION, "JOIN", () -> walk(e));
    }
  }

  /** An equality whose sides are single columns (possibly cast or wrapped in scalar functions) of different tables. */
  private boolean isKeyEquality(EqualsTo eq) {
    String left = keyInstance(unwrap(eq.getLeftExpression()));
    String right = keyInstance(unwrap(eq.getRightExpression()));
    return left != null && right != null && !left.equals(right);
  }

  private String keyInstance(Expression e) {
    return switch (e) {
      case Column c -> {
        Table t = c.getTable();
        yield t == null || t.getName() == null ? null : unquote(t.getName());
      }
      case CastExpression c -> keyInstance(unwrap(c.getLeftExpression()));
      case Function f when !AGGREGATES.contains(upper(f.getName())) && f.getParameters() != null && f.getParameters().size() == 1 ->
          keyInstance(unwrap(f.getParameters().get(0)));
      default -> null;
    };
  }

  private static Expression unwrap(Expression e) {
    while (e instanceof ParenthesedExpressionList<?> p && p.size() == 1) e = p.get(0);
    return e;
  }

  private void walkResolved(Expression e) {
    boolean before = resolvingAlias;
    resolvingAlias = true;
    try {
      walk(e);
    } finally {
      resolvingAlias = before;
    }
  }

  private void walk(Expression e) {
    if (e == null) return;
    if (++depth > MAX_DEPTH) {
      depth--;
      if (problems.stream().noneMatch(p -> p.explanation().startsWith("the query's expressions nest"))) {
        problem("sql", "the query's expressions nest more than " + MAX_DEPTH + " levels deep; simplify it");
      }
      return;
    }
    try {
      visit(e);
    } finally {
      depth--;
    }
  }

  private void visit(Expression e) {
    switch (e) {
      case Column c -> column(c);
      case Function f -> function(f);
      case AnalyticExpression a -> analytic(a);
      case CaseExpression c -> {
        asCondition(c.getSwitchExpression());
        for (WhenClause w : c.getWhenClauses()) {
          asCondition(w.getWhenExpression());
          walk(w.getThenExpression());
        }
        walk(c.getElseExpression());
      }
      case WhenClause w -> {
        asCondition(w.getWhenExpression());
        walk(w.getThenExpression());
      }
      case ComparisonOperator b -> {
        asCondition(b.getLeftExpression());
        asCondition(b.getRightExpression());
      }
      case LikeExpression b -> {
        asCondition(b.getLeftExpression());
        asCondition(b.getRightExpression());
        asCondition(b.getEscape());
      }
      case RegExpMatchOperator b -> {
        asCondition(b.getLeftExpression());
        asCondition(b.getRightExpression());
      }
      case IsDistinctExpression b -> {
        asCondition(b.getLeftExpression());
        asCondition(b.getRightExpression());
      }
      case SimilarToExpression s -> {
        asCondition(s.getLeftExpression());
        asCondition(s.getRightExpression());
      }
      case InExpression in -> {
        asCondition(in.getLeftExpression());
        if (in.getRightExpression() instanceof Select) {
          unsupported("subqueries");
        } else {
          asCondition(in.getRightExpression());
        }
      }
      case Between b -> {
        asCondition(b.getLeftExpression());
        asCondition(b.getBetweenExpressionStart());
        asCondition(b.getBetweenExpressionEnd());
      }
      case IsNullExpression n -> asCondition(n.getLeftExpression());
      case IsBooleanExpression n -> asCondition(n.getLeftExpression());
      case NotExpression n -> walk(n.getExpression());
      case SignedExpression s -> walk(s.getExpression());
      case CastExpression c -> {
        // A cast of a constant ('2025-01-01'::DATE) is evaluated once, before any row is read: it cannot depend on the data.
        boolean constant = isConstant(c.getLeftExpression());
        if (!constant && (!"TRY_CAST".equalsIgnoreCase(c.keyword) || !c.isUseCastKeyword())) {
          problem("cast", "the query converts " + abbreviate(c.getLeftExpression().toString()) + " with " + (c.isUseCastKeyword() ? c.keyword : "::")
              + ", which fails on a value that does not fit, so whether the job fails would depend on the data; write TRY_CAST(... AS "
              + c.getColDataType() + "), which gives NULL instead");
        }
        walk(c.getLeftExpression());
      }
      case ExtractExpression x when !EXTRACT_PARTS.contains(upper(x.getName())) ->
          problem("sql", "EXTRACT(" + x.getName() + " FROM ...) is not allowed; use one of " + String.join(", ", new java.util.TreeSet<>(EXTRACT_PARTS)));
      case ExtractExpression x -> walk(x.getExpression());
      case IntervalExpression i -> walk(i.getExpression());
      case CollateExpression c -> walk(c.getLeftExpression());
      case ExpressionList<?> list -> list.forEach(this::walk);
      case Select ignored -> unsupported("subqueries");
      case ExistsExpression ignored -> unsupported("EXISTS subqueries");
      case Division b -> divide(b, "/");
      case IntegerDivision b -> divide(b, "//");
      case Modulo b -> divide(b, "%");
      case Addition b -> walkBoth(b);
      case Subtraction b -> walkBoth(b);
      case Multiplication b -> walkBoth(b);
      case Concat b -> walkBoth(b);
      case AndExpression b -> walkBoth(b);
      case OrExpression b -> walkBoth(b);
      case AllColumns ignored when "COUNT".equals(aggregate) -> {} // COUNT(*) counts rows and reads no column
      case LongValue ignored -> {}
      case DoubleValue ignored -> {}
      case StringValue ignored -> {}
      case NullValue ignored -> {}
      case BooleanValue ignored -> {}
      case DateValue ignored -> {}
      case TimeValue ignored -> {}
      case TimestampValue ignored -> {}
      case HexValue ignored -> {}
      case DateTimeLiteralExpression ignored -> {}
      case TimeKeyExpression ignored -> {}
      default -> unsupported("the expression " + abbreviate(e.toString()) + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static boolean isConstant(Expression e) {
    Expression u = unwrap(e);
    return u instanceof StringValue || u instanceof LongValue || u instanceof DoubleValue || u instanceof NullValue
        || u instanceof BooleanValue || u instanceof DateValue || u instanceof TimeValue || u instanceof TimestampValue
        || (u instanceof SignedExpression s && isConstant(s.getExpression()));
  }

  private void walkBoth(BinaryExpression b) {
    walk(b.getLeftExpression());
    walk(b.getRightExpression());
  }

  /**
   * Division and remainder by a positive constant; and, for {@code /} only, by {@code NULLIF(expression, 0)}. A divisor
   * computed from the data could be zero (or -1 under the smallest integer) on some rows, and the query's outcome
   * would then depend on whether such a row exists. {@code NULLIF(x, 0)} is never zero (it is NULL instead, and so is
   * the quotient), and {@code /} divides in floating point in the enclave's DuckDB, so it cannot overflow either:
   * {@code 100.0 * SUM(harsh_brakes) / NULLIF(SUM(distance_m), 0)} fails on no row. Integer division and remainder
   * keep the constant-only rule.
   */
  private void divide(BinaryExpression b, String operator) {
    Expression divisor = unwrap(b.getRightExpression());
    boolean positiveConstant = (divisor instanceof LongValue l && l.getValue() > 0) || (divisor instanceof DoubleValue d && d.getValue() > 0);
    boolean guarded = "/".equals(operator) && divisor instanceof Function f && "NULLIF".equals(upper(f.getName())) && f.getParameters() != null
        && f.getParameters().size() == 2 && !f.isDistinct() && isZero(unwrap(f.getParameters().get(1)));
    if (!positiveConstant && !guarded) {
      problem("division", "the query divides by " + abbreviate(b.getRightExpression().toString()) + " (" + operator + "); a divisor must be a "
          + "positive number written in the query, or for '/' NULLIF(expression, 0), because a divisor computed from the data could be zero on "
          + "some rows and not on others. For a ratio of statistics, write SUM(a) / NULLIF(SUM(b), 0), or release both and divide them after "
          + "the result arrives");
    }
    walkBoth(b);
  }

  private static boolean isZero(Expression e) {
    return (e instanceof LongValue l && l.getValue() == 0) || (e instanceof DoubleValue d && d.getValue() == 0);
  }

  /** DATE_TRUNC('month', admission_date): the part must be a constant from {@link #DATE_TRUNC_PARTS}. */
  private void dateTrunc(Function f) {
    var params = f.getParameters();
    if (params == null || params.size() != 2 || f.isDistinct() || f.getOrderByElements() != null
        || !(unwrap(params.get(0)) instanceof StringValue part) || !DATE_TRUNC_PARTS.contains(part.getValue().toUpperCase(Locale.ROOT))) {
      problem("sql", "DATE_TRUNC takes a constant part and a date, as in DATE_TRUNC('month', admission_date); the part must be one of "
          + String.join(", ", new java.util.TreeSet<>(DATE_TRUNC_PARTS)).toLowerCase(Locale.ROOT));
      if (params != null) walk(params);
      return;
    }
    walk(params.get(1));
  }

  private void asCondition(Expression e) {
    boolean before = condition;
    condition = true;
    try {
      walk(e);
    } finally {
      condition = before;
    }
  }

  private void function(Function f) {
    String name = upper(f.getName());
    if (f.getNamedParameters() != null || f.getKeep() != null || f.getAttribute() != null || f.getHavingClause() != null || f.getLimit() != null) {
      unsupported("the function call " + abbreviate(f.toString()));
      return;
    }
    if (REVEALING.contains(name)) {
      problem("sql", "the query uses " + name + ", which returns individual values rather than a statistic of a group");
      return;
    }
    if (name.equals("DATE_TRUNC")) {
      dateTrunc(f);
      return;
    }
    if (!AGGREGATES.contains(name) && !SCALAR_FUNCTIONS.contains(name)) {
      problem("function:" + name, "the query calls " + name + "(), which is not on the list of functions a query may use: a function "
          + "outside the list could fail on some rows and not others, telling the consumer by its failure whether such a row exists. "
          + "Allowed: " + String.join(", ", new java.util.TreeSet<>(AGGREGATES)) + ", " + String.join(", ", new java.util.TreeSet<>(SCALAR_FUNCTIONS))
          + " (see docs/policy-language.md)");
      if (f.getParameters() != null) walk(f.getParameters());
      return;
    }
    if (AGGREGATES.contains(name) && aggregate == null) {
      aggregateCall(name, f.isAllColumns() || isStar(f.getParameters()), f.isDistinct(), f.getParameters(), null);
      if (f.getOrderByElements() != null) unsupported("ORDER BY inside " + name);
      return;
    }
    // A scalar function (or an aggregate nested inside another, which SQL rejects anyway): transparent.
    if (f.getParameters() != null) walk(f.getParameters());
    if (f.getOrderByElements() != null) f.getOrderByElements().forEach(o -> walk(o.getExpression()));
  }

  private void analytic(AnalyticExpression a) {
    String name = upper(a.getName());
    if (a.getType() != AnalyticType.FILTER_ONLY) {
      problem("sql", "the query uses the window function " + name + "(...) " + a.getType().name().replace('_', ' ')
          + ", which computes a value for each row; use GROUP BY and plain aggregates");
      return;
    }
    if (!AGGREGATES.contains(name)) {
      problem("sql", "the query applies FILTER to " + name + ", which is not one of " + String.join(", ", AGGREGATES.stream().sorted().toList()));
      return;
    }
    if (aggregate != null) {
      unsupported("an aggregate inside another aggregate");
      return;
    }
    aggregateCall(name, a.isAllColumns() || isStar(a.getExpression()), a.isDistinct(), a.getExpression(), a.getFilterExpression());
  }

  private void aggregateCall(String name, boolean allColumns, boolean distinct, Expression argument, Expression filter) {
    if (base != Place.SELECT && base != Place.HAVING && base != Place.ORDER_BY) {
      problem("sql", "the query uses the aggregate " + name + " in " + clause + ", where SQL does not allow aggregates");
      return;
    }
    sawAggregate = true;
    String column = allColumns ? null : bareColumn(argument);
    aggregateCalls.add(new AggregateCall(name, clause, java.util.Optional.ofNullable(column),
        (allColumns || column != null) && !distinct && filter == null, callText(name, allColumns, distinct, column, filter)));
    String beforeAggregate = aggregate;
    boolean beforeCondition = condition;
    aggregate = name;
    condition = false;
    try {
      if (!allColumns) walk(argument);
      if (filter != null) asCondition(filter);
    } finally {
      aggregate = beforeAggregate;
      condition = beforeCondition;
    }
  }

  private void column(Column c) {
    String name = unquote(c.getColumnName());
    Table t = c.getTable();
    String qualifier = t == null || t.getName() == null ? null : unquote(t.getName());
    if (qualifier != null) {
      Boolean ours = instances.get(qualifier);
      if (ours == null) {
        problem("sql", "the query refers to " + qualifier + "." + name + ", but no table or alias named " + qualifier + " is in its FROM clause");
      } else if (ours) {
        if (schemaColumns.contains(name)) record(name);
        else unknownColumn(name);
      }
      return;
    }
    if (schemaColumns.contains(name)) {
      // Unqualified with several tables: take it as ours; if it is ambiguous the engine rejects the query anyway.
      record(name);
    } else if (!resolvingAlias && selectAliases.containsKey(name)) {
      walkResolved(selectAliases.get(name));
    } else if (instances.values().stream().allMatch(Boolean.TRUE::equals)) {
      unknownColumn(name);
    }
    // Otherwise it belongs to another table of the query, which that table's own policy judges.
  }

  private static boolean isStar(Expression e) {
    Expression u = unwrap(e);
    if (u instanceof ExpressionList<?> l && l.size() == 1) u = l.get(0);
    return u instanceof AllColumns;
  }

  /** Built from what was recognised, never from the tree's toString, which recurses as deep as the expression. */
  private static String callText(String name, boolean allColumns, boolean distinct, String column, Expression filter) {
    String arg = allColumns ? "*" : column != null ? column : "an expression";
    return name + "(" + (distinct ? "DISTINCT " : "") + arg + ")" + (filter != null ? " FILTER (WHERE ...)" : "");
  }

  /** The governed table's column an aggregate's single argument names bare ({@code SUM(claim_cost)}), else null. */
  private String bareColumn(Expression argument) {
    Expression e = unwrap(argument);
    if (e instanceof ExpressionList<?> l) {
      if (l.size() != 1) return null;
      e = unwrap(l.get(0));
    }
    if (!(e instanceof Column c)) return null;
    String name = unquote(c.getColumnName());
    Table t = c.getTable();
    String qualifier = t == null || t.getName() == null ? null : unquote(t.getName());
    if (qualifier != null && !Boolean.TRUE.equals(instances.get(qualifier))) return null;
    return schemaColumns.contains(name) ? name : null;
  }

  private void unknownColumn(String name) {
    problem("column:" + name, "the query refers to " + name + ", which is not a column of " + datasetName);
  }

  private void record(String name) {
    Place place = aggregate == null ? base : condition ? Place.CONDITION_IN_AGGREGATE : Place.AGGREGATE;
    uses.add(new ColumnUse(name, place, aggregate == null ? "" : aggregate, clause));
  }

  private void in(Place place, String clauseName, Runnable body) {
    Place beforeBase = base;
    String beforeClause = clause;
    base = place;
    clause = clauseName;
    try {
      body.run();
    } finally {
      base = beforeBase;
      clause = beforeClause;
    }
  }

  private void unsupported(String what) {
    problem("sql", "the query uses " + what + ", which policy checks do not support yet; rewrite it as one SELECT over "
        + tableName + " with WHERE, GROUP BY, HAVING, ORDER BY and JOIN ... ON");
  }

  private void problem(String rule, String explanation) {
    PolicyDecision.Finding f = new PolicyDecision.Finding(rule, false, explanation);
    if (!problems.contains(f)) problems.add(f);
  }

  /** The function's own name, upper case, without a schema prefix. */
  private static String upper(String name) {
    if (name == null) return "";
    String last = name.substring(name.lastIndexOf('.') + 1);
    return unquote(last).toUpperCase(Locale.ROOT);
  }

  /** Identifiers compare case-insensitively, quoted or not; schema names are lower case. */
  static String unquote(String identifier) {
    return SqlSyntax.unquote(identifier);
  }

  private static String abbreviate(String s) {
    return SqlSyntax.abbreviate(s);
  }
}
