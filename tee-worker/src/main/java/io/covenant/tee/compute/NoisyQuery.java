package io.covenant.tee.compute;

import io.covenant.policy.OutputControls;
import io.covenant.core.privacy.DiscreteGaussian;
import io.covenant.core.privacy.DiscreteLaplace;
import io.covenant.core.privacy.IntegerNoise;
import io.covenant.policy.Policy;
import io.covenant.policy.SqlSyntax;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * A checked aggregate rewritten for differentially private release: the database computes, per group, the exact
 * measurements (row count, COUNT of a column, SUM of a column clamped to its declared bounds and scaled to integers),
 * and {@link #release} adds discrete Laplace noise to each before any value leaves the enclave.
 *
 * <p>Accepted under a privacy budget: one table (a join could repeat one person's row), select items that are group
 * keys or exactly {@code COUNT(*)}, {@code COUNT(col)}, {@code SUM(col)}, {@code AVG(col)}, no HAVING, no DISTINCT,
 * and no ORDER BY on an aggregate (each would act on exact values). The privacy unit is one row of the table.
 *
 * <p>Budget: the query's epsilon is split evenly over its k distinct measurements, the row count always among them
 * (it decides suppression); each measurement is then epsilon/k-DP, and their combination epsilon-DP by sequential
 * composition (Dwork &amp; Roth 2014, Theorem 3.16). Groups partition the rows, so releasing every group costs no more
 * (parallel composition, McSherry, SIGMOD 2009). AVG is post-processing of its noisy SUM and COUNT, clamped to the
 * bounds. Known limit: the number and keys of the groups released are not noised; a group present in the data but
 * withheld by the noisy cohort rule still reveals that its noisy count fell below the minimum.
 *
 * <p>Integer scaling: a column with bounds [lo, hi] is clamped, then rounded to a multiple of
 * {@code γ = 10^(floor(log10(max(|lo|,|hi|))) - 6)}, so one row moves the scaled sum by at most Δ = max(|lo|,|hi|)/γ,
 * between 10^6 and 10^7: rounding error stays a millionth of the noise's scale.
 */
final class NoisyQuery {
  static final String MEASUREMENT_PREFIX = "__covenant_dp_";
  private static final Set<String> NOISED = Set.of("count", "sum", "avg");
  /** Order statistics, released only where every policy allows them ({@link OutputControls.Privacy#orderStatistics()}). */
  private static final Set<String> ORDER_STATISTICS = Set.of("min", "max", "median");

  /** One statistic the database computes exactly and the enclave noises. */
  record Measurement(String key, String sql, long sensitivity, BigDecimal granularity) {}

  /**
   * How one visible column is produced: a group key from the database, or an aggregate from measurements (the value
   * measurement is the clamped SUM for SUM and AVG, or the order statistic itself for MIN, MAX and MEDIAN).
   */
  record Output(String label, String function, int valueMeasurement, int countMeasurement, Policy.Bounds bounds) {
    boolean isKey() {
      return function == null;
    }
  }

  private final String sql;
  private final List<Output> outputs;
  private final List<Measurement> measurements;
  private final BigDecimal epsilon;
  private final OutputControls.Privacy privacy;

  private NoisyQuery(String sql, List<Output> outputs, List<Measurement> measurements, OutputControls.Privacy privacy) {
    this.sql = sql;
    this.outputs = List.copyOf(outputs);
    this.measurements = List.copyOf(measurements);
    this.epsilon = privacy.epsilon();
    this.privacy = privacy;
  }

  String sql() {
    return sql;
  }

  List<Output> outputs() {
    return outputs;
  }

  List<Measurement> measurements() {
    return measurements;
  }

  /** The epsilon each measurement spends: the query's epsilon over the number of measurements. */
  BigDecimal epsilonPerMeasurement() {
    return epsilon.divide(BigDecimal.valueOf(measurements.size()), 30, RoundingMode.DOWN);
  }

  /**
   * The sampler for measurement {@code i}: discrete Laplace with scale Δ / (ε/k) = Δ·k / ε, written as the exact
   * ratio t/s of integers with ε = unscaled / 10^scale.
   */
  IntegerNoise noise(int i, java.util.random.RandomGenerator random) {
    if (privacy.mechanism() == Policy.PrivacyBudget.Mechanism.GAUSSIAN) return gaussian(i, random);
    BigDecimal e = epsilon.stripTrailingZeros();
    if (e.scale() < 0) e = e.setScale(0);
    BigInteger t = BigInteger.valueOf(measurements.get(i).sensitivity())
        .multiply(BigInteger.valueOf(measurements.size()))
        .multiply(BigInteger.TEN.pow(e.scale()));
    BigInteger s = e.unscaledValue();
    BigInteger g = t.gcd(s);
    t = t.divide(g);
    s = s.divide(g);
    if (t.bitLength() > 40 || s.bitLength() > 40) {
      throw new QueryRefusedException("epsilon " + epsilon.toPlainString() + " is too finely written for exact noise; use at most 6 decimal places");
    }
    return new DiscreteLaplace(t.longValueExact(), s.longValueExact(), random);
  }

  /**
   * The gaussian sampler for measurement {@code i}: the query's (ε, δ) is turned into ρ-zCDP by Bun and Steinke's
   * conversion ({@link DiscreteGaussian#rhoFor}), split evenly over the k measurements (zCDP composes by adding ρ,
   * Bun and Steinke, Lemma 2.3), and each measurement of sensitivity Δ gets σ² = Δ²/(2ρ/k) (Canonne, Kamath and
   * Steinke, Theorem 4). σ² is rounded up (to a multiple of 2^-20, or of 1 when it exceeds 2^40), so the guarantee
   * holds at least as stated.
   */
  private IntegerNoise gaussian(int i, java.util.random.RandomGenerator random) {
    double rhoEach = DiscreteGaussian.rhoFor(epsilon.doubleValue(), privacy.delta().orElseThrow().doubleValue()) / measurements.size();
    double delta = measurements.get(i).sensitivity();
    double sigmaSquared = delta * delta / (2 * rhoEach);
    // Fine steps for small σ², whole units for large ones (Δ is up to 10^7 scaled units, so σ² reaches 10^16).
    long denominator = sigmaSquared < 0x1p40 ? 1L << 20 : 1;
    double scaled = Math.ceil(sigmaSquared * denominator);
    if (scaled >= 0x1p62) throw new QueryRefusedException("epsilon " + epsilon.toPlainString() + " is too small for this query's sensitivity: the noise would exceed what the engine samples");
    return new DiscreteGaussian((long) scaled, denominator, random);
  }

  /** Checks {@code text} (already accepted by {@link AggregateQuery#check}) and plans its noisy release. */
  static NoisyQuery plan(String text, OutputControls.Privacy privacy) {
    PlainSelect ps = parse(text);
    if (ps.getJoins() != null && !ps.getJoins().isEmpty()) {
      throw refused("the query joins tables, which can repeat one person's row beyond what the noise covers; query one table");
    }
    if (ps.getHaving() != null) throw refused("HAVING filters groups on exact aggregates; drop it (small groups are withheld anyway)");
    if (ps.getDistinct() != null) throw refused("SELECT DISTINCT is not supported; group by the columns instead");

    Map<String, Measurement> measurements = new LinkedHashMap<>();
    measurements.put("rows", new Measurement("rows", "count(*)", 1, BigDecimal.ONE));
    List<Output> outputs = new ArrayList<>();
    List<SelectItem<?>> items = new ArrayList<>(ps.getSelectItems());
    Set<String> aggregateLabels = new java.util.HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      SelectItem<?> item = items.get(i);
      Expression e = item.getExpression();
      String label = item.getAlias() != null ? SqlSyntax.unquote(item.getAlias().getName()) : e.toString();
      if (!containsAggregate(e)) {
        outputs.add(new Output(label, null, -1, -1, null));
        continue;
      }
      boolean allowed = e instanceof Function g && (NOISED.contains(SqlSyntax.name(g)) || (privacy.orderStatistics() && ORDER_STATISTICS.contains(SqlSyntax.name(g))));
      if (!(e instanceof Function f) || !allowed || f.isDistinct() || f.getNamedParameters() != null) {
        throw refused("'" + SqlSyntax.abbreviate(e.toString()) + "' cannot be released with noise; select COUNT(*), COUNT(column), SUM(column) or AVG(column)"
            + (privacy.orderStatistics() ? ", MIN(column), MAX(column) or MEDIAN(column)" : ""));
      }
      String fn = SqlSyntax.name(f);
      Column column = SqlSyntax.singleColumn(f);
      if (column == null && !(fn.equals("count") && SqlSyntax.isStar(f))) {
        throw refused("'" + SqlSyntax.abbreviate(e.toString()) + "' must aggregate one column by name (move conditions into WHERE)");
      }
      aggregateLabels.add(label.toLowerCase(Locale.ROOT));
      // The aggregate's place stays (so GROUP BY 2 still means the second item) but the database returns no value for it.
      items.set(i, SelectItem.from(new NullValue(), new Alias(quoteIdentifier(label))));
      if (column == null) {
        outputs.add(new Output(label, "count", -1, 0, null));
        continue;
      }
      String col = SqlSyntax.unquote(column.getColumnName());
      int count = fn.equals("sum") ? -1 : index(measurements, "count:" + col, new Measurement("count:" + col, "count(" + column + ")", 1, BigDecimal.ONE));
      if (fn.equals("count")) {
        outputs.add(new Output(label, "count", -1, count, null));
        continue;
      }
      Policy.Bounds b = privacy.bounds().get(col);
      if (b == null) {
        throw refused("column " + col + " has no declared privacy bounds, so " + fn.toUpperCase(Locale.ROOT) + "(" + col + ") cannot be noised");
      }
      if (ORDER_STATISTICS.contains(fn)) {
        int order = index(measurements, fn + ":" + col, orderMeasurement(fn, column, col, b));
        outputs.add(new Output(label, fn, order, -1, b));
        continue;
      }
      int sum = index(measurements, "sum:" + col, sumMeasurement(column, col, b));
      outputs.add(new Output(label, fn, sum, count, b));
    }
    if (ps.getOrderByElements() != null) {
      for (OrderByElement o : ps.getOrderByElements()) {
        Expression e = o.getExpression();
        boolean positionalAggregate = e instanceof LongValue n && n.getValue() >= 1 && n.getValue() <= outputs.size()
            && !outputs.get((int) n.getValue() - 1).isKey();
        boolean namedAggregate = e instanceof Column c && c.getTable() == null && aggregateLabels.contains(SqlSyntax.unquote(c.getColumnName()));
        if (containsAggregate(e) || positionalAggregate || namedAggregate) {
          throw refused("ORDER BY an aggregate would order by exact values; order by the group keys");
        }
      }
    }
    ps.setSelectItems(items);
    int m = 0;
    for (Measurement x : measurements.values()) {
      ps.addSelectItem(parseExpression(x.sql()), new Alias(MEASUREMENT_PREFIX + m++));
    }
    return new NoisyQuery(ps.toString(), outputs, new ArrayList<>(measurements.values()), privacy);
  }

  private static Measurement sumMeasurement(Column column, String col, Policy.Bounds b) {
    BigDecimal granularity = b.granularity();
    int exponent = -granularity.scale(); // γ = 10^exponent
    long sensitivity = b.sumSensitivity();
    String clamped = "least(greatest(CAST(" + column + " AS DOUBLE), " + b.lower().toPlainString() + "), " + b.upper().toPlainString() + ")";
    String scaled = exponent <= 0
        ? clamped + " * " + BigDecimal.ONE.scaleByPowerOfTen(-exponent).toPlainString()
        : clamped + " / " + granularity.toPlainString();
    return new Measurement("sum:" + col, "sum(CAST(round(" + scaled + ") AS BIGINT))", sensitivity, granularity);
  }

  /**
   * MIN, MAX or MEDIAN of a column clamped to [lo, hi] and scaled to integers like a sum. One row can move any of them
   * from lo to hi, so the global sensitivity is (hi - lo) / γ (Dwork, McSherry, Nissim &amp; Smith, "Calibrating Noise to
   * Sensitivity in Private Data Analysis", TCC 2006): the Laplace noise is as wide as the range, which is honest and
   * usually drowns the value. A useful private median needs the exponential mechanism over the sorted values (Smith,
   * STOC 2011), which v1 does not offer.
   */
  private static Measurement orderMeasurement(String fn, Column column, String col, Policy.Bounds b) {
    BigDecimal magnitude = b.magnitude();
    int exponent = magnitude.precision() - magnitude.scale() - 1 - 6;
    BigDecimal granularity = BigDecimal.ONE.scaleByPowerOfTen(exponent);
    long sensitivity = b.upper().subtract(b.lower()).scaleByPowerOfTen(-exponent).setScale(0, RoundingMode.CEILING).longValueExact();
    String clamped = "least(greatest(CAST(" + column + " AS DOUBLE), " + b.lower().toPlainString() + "), " + b.upper().toPlainString() + ")";
    String scaled = exponent <= 0
        ? clamped + " * " + BigDecimal.ONE.scaleByPowerOfTen(-exponent).toPlainString()
        : clamped + " / " + granularity.toPlainString();
    return new Measurement(fn + ":" + col, "CAST(round(" + fn + "(CAST(round(" + scaled + ") AS BIGINT))) AS BIGINT)", sensitivity, granularity);
  }

  /**
   * Adds noise to one group's exact measurements and computes its visible aggregates. Returns null when the noisy
   * row count is below {@code minCohort}: the group is withheld.
   */
  List<Object> release(List<Object> keys, BigInteger[] exact, int minCohort, List<IntegerNoise> noise) {
    BigInteger[] noisy = new BigInteger[exact.length];
    for (int i = 0; i < exact.length; i++) noisy[i] = exact[i].add(BigInteger.valueOf(noise.get(i).sample()));
    if (noisy[0].compareTo(BigInteger.valueOf(minCohort)) < 0) return null;
    List<Object> row = new ArrayList<>(outputs.size());
    for (int i = 0; i < outputs.size(); i++) {
      Output o = outputs.get(i);
      if (o.isKey()) {
        row.add(keys.get(i));
        continue;
      }
      BigInteger count = o.countMeasurement() >= 0 ? noisy[o.countMeasurement()].max(BigInteger.ZERO) : null;
      switch (o.function()) {
        case "count" -> row.add(ValueKind.integer(count));
        case "min", "max", "median" -> { // post-processing: back to the column's scale, kept within the bounds
          BigDecimal v = new BigDecimal(noisy[o.valueMeasurement()]).multiply(measurements.get(o.valueMeasurement()).granularity());
          row.add(v.max(o.bounds().lower()).min(o.bounds().upper()).doubleValue());
        }
        case "sum" -> row.add(new BigDecimal(noisy[o.valueMeasurement()]).multiply(measurements.get(o.valueMeasurement()).granularity()));
        default -> { // avg: post-processing of the noisy sum and count, kept within the bounds
          if (count.signum() == 0) {
            row.add(null);
          } else {
            BigDecimal sum = new BigDecimal(noisy[o.valueMeasurement()]).multiply(measurements.get(o.valueMeasurement()).granularity());
            BigDecimal avg = sum.divide(new BigDecimal(count), java.math.MathContext.DECIMAL64);
            row.add(avg.max(o.bounds().lower()).min(o.bounds().upper()).doubleValue());
          }
        }
      }
    }
    return row;
  }

  /** The result type of each visible column; keys take the database's type. */
  ValueKind kindOf(int i, ValueKind database) {
    Output o = outputs.get(i);
    if (o.isKey()) return database;
    return switch (o.function()) {
      case "count" -> ValueKind.INTEGER;
      case "sum" -> ValueKind.DECIMAL;
      default -> ValueKind.FLOAT; // avg, min, max, median
    };
  }

  private static int index(Map<String, Measurement> measurements, String key, Measurement m) {
    measurements.putIfAbsent(key, m);
    return new ArrayList<>(measurements.keySet()).indexOf(key);
  }

  private static PlainSelect parse(String text) {
    try {
      Statement s = CCJSqlParserUtil.parse(text);
      if (s instanceof PlainSelect ps) return ps;
    } catch (JSQLParserException e) {
      throw new QueryRefusedException("the query could not be parsed as SQL: " + e.getMessage().lines().findFirst().orElse(""), e);
    }
    throw refused("the query must be one plain SELECT");
  }

  private static Expression parseExpression(String text) {
    try {
      return CCJSqlParserUtil.parseExpression(text);
    } catch (JSQLParserException e) {
      throw new IllegalStateException("could not build the measurement " + text, e);
    }
  }

  private static boolean containsAggregate(Expression e) {
    boolean[] found = {false};
    e.accept(new ExpressionVisitorAdapter<Void>() {
      @Override
      public <S> Void visit(Function f, S context) {
        if (NOISED.contains(SqlSyntax.name(f)) || AggregateQuery.isSummarisingAggregate(SqlSyntax.name(f))) found[0] = true;
        return super.visit(f, context);
      }
    }, null);
    return found[0];
  }

  private static String quoteIdentifier(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static QueryRefusedException refused(String why) {
    return new QueryRefusedException("under the owners' privacy budget " + why);
  }
}
