package io.covenant.mpc.sql;

import io.covenant.core.codec.Json;
import io.covenant.core.privacy.DiscreteLaplace;
import io.covenant.policy.OutputControls;
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
import java.util.Optional;
import java.util.random.RandomGenerator;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.GroupByElement;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * The aggregate SQL the multi-party engine runs, compiled to per-owner partial aggregates and secret-shared sums.
 *
 * <p><b>Subset.</b> One plain SELECT over one table (every dataset of the job with that name, stacked, as the enclave
 * sees them); GROUP BY only the public-domain functions of {@link GroupKeyFunction} over a column (or no GROUP BY: one
 * group); select items that are those group keys or {@code COUNT(*)}, {@code COUNT(col)}, {@code SUM(col)},
 * {@code AVG(col)}; ORDER BY group keys. WHERE, HAVING, joins, DISTINCT, LIMIT, other functions and subqueries are
 * refused with the reason ({@link MpcQueryRefusedException}): they would need protocols the engine does not run, and
 * nothing is ever computed in the clear instead.
 *
 * <p><b>Compilation.</b> The group domain is the product of the keys' public domains (G groups). Each owner's node
 * computes, on its own decrypted rows only, a vector of k·G integers: per group, the row count, each COUNT(col) and
 * each clamped, integer-scaled SUM(col) (AVG is SUM over COUNT). Each node adds its own noise and secret-shares the
 * vector (one input round per party); the committee adds the three vectors locally, keeps a group when it holds at
 * least one row and its noisy row count reaches the minimum cohort ({@code io.covenant.mpc.protocol.SecureComparison},
 * ABY3 §5.3), and multiplies every measurement of a withheld group by zero. The consumer alone reconstructs. As in
 * the enclave, which groups hold rows is not noised (the enclave releases only groups present in the data): releasing
 * every group of the public domain instead would hide that, but would release groups of pure noise.
 *
 * <p><b>Output controls</b> are those of the enclave ({@link OutputControls#forPolicies}): the largest minimum cohort,
 * and under a privacy budget the same measurements, integer scaling and discrete Laplace scale Δ·k/ε as the enclave
 * (tee-worker's {@code NoisyQuery}). Noise differs in one way: no single party may know the noise, so every party adds
 * its own full-scale sample ("each party's noise alone suffices"); the released value carries the sum of three
 * samples, three times the variance of the enclave's, and stays ε-differentially private against the consumer even if
 * it colludes with two of the three parties.
 */
public final class SecureAggregateQuery {
  /** What one released column is. */
  public enum OutputKind { KEY, COUNT, SUM, AVG }

  /** A released column: a group key (index into the keys) or an aggregate over measurements. */
  public record Output(String label, OutputKind kind, int key, int valueMeasurement, int countMeasurement, Optional<Policy.Bounds> bounds) {}

  /** A group key: a function of one column. */
  public record Key(GroupKeyFunction function, String column) {}

  /** One integer the owners compute per group: a row count, a non-null count, or a clamped scaled sum. */
  public record Measurement(String name, Optional<String> column, boolean sum, long sensitivity, BigDecimal granularity,
      Optional<Policy.Bounds> bounds) {}

  private final String sql;
  private final String table;
  private final List<Key> keys;
  private final List<Output> outputs;
  private final List<Measurement> measurements;
  private final List<int[]> orderBy; // {key index, +1 ascending or -1 descending}
  private final OutputControls controls;

  private SecureAggregateQuery(String sql, String table, List<Key> keys, List<Output> outputs, List<Measurement> measurements, List<int[]> orderBy,
      OutputControls controls) {
    this.sql = sql;
    this.table = table;
    this.keys = List.copyOf(keys);
    this.outputs = List.copyOf(outputs);
    this.measurements = List.copyOf(measurements);
    this.orderBy = List.copyOf(orderBy);
    this.controls = controls;
  }

  /** Compiles {@code sql} under {@code controls}, or refuses it with the reason. */
  public static SecureAggregateQuery compile(String sql, OutputControls controls) {
    PlainSelect ps = parse(sql);
    if (ps.getJoins() != null && !ps.getJoins().isEmpty()) throw refused("joins are not in the multi-party subset; query one table (or use the TEE engine)");
    if (!(ps.getFromItem() instanceof Table t)) throw refused("the query must read one table by name (no subqueries)");
    if (ps.getWhere() != null) throw refused("WHERE is not in the multi-party subset: each owner would filter its own rows by a condition the others cannot check; use the TEE engine");
    if (ps.getHaving() != null) throw refused("HAVING filters groups on exact aggregates; drop it (small groups are withheld anyway)");
    if (ps.getDistinct() != null) throw refused("SELECT DISTINCT is not in the multi-party subset; group by the columns instead");
    if (ps.getLimit() != null || ps.getOffset() != null || ps.getFetch() != null) throw refused("LIMIT and OFFSET are not in the multi-party subset");
    Optional<OutputControls.Privacy> privacy = controls.privacy();
    if (privacy.isPresent() && privacy.get().mechanism() != io.covenant.policy.Policy.PrivacyBudget.Mechanism.LAPLACE) {
      throw refused("the policies ask for the " + privacy.get().mechanism().wireName() + " mechanism, which only the TEE engine draws; "
          + "the multi-party engine adds discrete Laplace noise at each party");
    }

    List<Key> keys = new ArrayList<>();
    GroupByElement groupBy = ps.getGroupBy();
    if (groupBy != null) {
      for (Object o : groupBy.getGroupByExpressionList()) {
        keys.add(key((Expression) o));
      }
    }
    Map<String, Measurement> measurements = new LinkedHashMap<>();
    measurements.put("rows", new Measurement("rows", Optional.empty(), false, 1, BigDecimal.ONE, Optional.empty()));
    List<Output> outputs = new ArrayList<>();
    Map<String, Integer> keyLabels = new LinkedHashMap<>();
    for (SelectItem<?> item : ps.getSelectItems()) {
      Expression e = item.getExpression();
      String label = item.getAlias() != null ? SqlSyntax.unquote(item.getAlias().getName()) : e.toString();
      if (e instanceof Function f && GroupKeyFunction.bySqlName(SqlSyntax.name(f)).isPresent()) {
        Key k = key(f);
        int index = keys.indexOf(k);
        if (index < 0) throw refused("'" + e + "' is selected but not in GROUP BY");
        keyLabels.put(label.toLowerCase(Locale.ROOT), index);
        outputs.add(new Output(label, OutputKind.KEY, index, -1, -1, Optional.empty()));
        continue;
      }
      if (!(e instanceof Function f) || f.isDistinct() || f.getNamedParameters() != null) {
        throw refused("'" + SqlSyntax.abbreviate(e.toString()) + "' is not in the multi-party subset; select the group keys and COUNT(*), COUNT(column), SUM(column) or AVG(column)");
      }
      String fn = SqlSyntax.name(f);
      if (fn.equals("count") && SqlSyntax.isStar(f)) {
        outputs.add(new Output(label, OutputKind.COUNT, -1, -1, 0, Optional.empty()));
        continue;
      }
      Column column = SqlSyntax.singleColumn(f);
      if (column == null || !List.of("count", "sum", "avg").contains(fn)) {
        throw refused("'" + SqlSyntax.abbreviate(e.toString()) + "' is not in the multi-party subset; select COUNT(*), COUNT(column), SUM(column) or AVG(column) of one column by name");
      }
      String col = SqlSyntax.unquote(column.getColumnName());
      int count = fn.equals("sum") ? -1 : index(measurements, "count:" + col,
          new Measurement("count:" + col, Optional.of(col), false, 1, BigDecimal.ONE, Optional.empty()));
      if (fn.equals("count")) {
        outputs.add(new Output(label, OutputKind.COUNT, -1, -1, count, Optional.empty()));
        continue;
      }
      Optional<Policy.Bounds> bounds = privacy.map(p -> p.bounds().get(col));
      if (privacy.isPresent() && bounds.isEmpty()) {
        throw refused("column " + col + " has no declared privacy bounds, so " + fn.toUpperCase(Locale.ROOT) + "(" + col + ") cannot be noised");
      }
      int sum = index(measurements, "sum:" + col, sumMeasurement(col, bounds));
      outputs.add(new Output(label, fn.equals("sum") ? OutputKind.SUM : OutputKind.AVG, -1, sum, count, bounds));
    }
    List<int[]> order = new ArrayList<>();
    if (ps.getOrderByElements() != null) {
      for (OrderByElement o : ps.getOrderByElements()) {
        Expression e = o.getExpression();
        Integer key = null;
        if (e instanceof Column c && c.getTable() == null) key = keyLabels.get(SqlSyntax.unquote(c.getColumnName()));
        if (e instanceof LongValue n && n.getValue() >= 1 && n.getValue() <= outputs.size() && outputs.get((int) n.getValue() - 1).kind() == OutputKind.KEY) {
          key = outputs.get((int) n.getValue() - 1).key();
        }
        if (key == null && e instanceof Function f && GroupKeyFunction.bySqlName(SqlSyntax.name(f)).isPresent()) {
          int i = keys.indexOf(key(f));
          if (i >= 0) key = i;
        }
        if (key == null) throw refused("ORDER BY '" + SqlSyntax.abbreviate(e.toString()) + "': the multi-party engine orders by group keys only");
        order.add(new int[] {key, o.isAsc() ? 1 : -1});
      }
    }
    return new SecureAggregateQuery(sql, SqlSyntax.unquote(t.getName()), keys, outputs, new ArrayList<>(measurements.values()), order, controls);
  }

  private static Measurement sumMeasurement(String col, Optional<Policy.Bounds> bounds) {
    if (bounds.isEmpty()) {
      // Exact release (no budget): values kept to a millionth, so sums stay exact below about 9.2·10^12 in magnitude.
      return new Measurement("sum:" + col, Optional.of(col), true, 0, BigDecimal.ONE.scaleByPowerOfTen(-6), Optional.empty());
    }
    // Scaled as the enclave scales (Policy.Bounds.granularity), so both engines noise the same query alike.
    return new Measurement("sum:" + col, Optional.of(col), true, bounds.get().sumSensitivity(), bounds.get().granularity(), bounds);
  }

  private static Key key(Expression e) {
    if (e instanceof Function f) {
      Optional<GroupKeyFunction> fn = GroupKeyFunction.bySqlName(SqlSyntax.name(f));
      Column c = SqlSyntax.singleColumn(f);
      if (fn.isPresent() && c != null) return new Key(fn.get(), SqlSyntax.unquote(c.getColumnName()));
    }
    throw refused("GROUP BY '" + SqlSyntax.abbreviate(e.toString()) + "': the multi-party engine groups by functions with a public domain only ("
        + java.util.Arrays.stream(GroupKeyFunction.values()).map(g -> g.sqlName() + "(column)").toList()
        + "), so that no owner reveals which groups it holds");
  }

  /** The table the query reads. */
  public String table() {
    return table;
  }

  public List<Key> keys() {
    return keys;
  }

  public List<Output> outputs() {
    return outputs;
  }

  public List<Measurement> measurements() {
    return measurements;
  }

  public OutputControls controls() {
    return controls;
  }

  /** Number of groups: the product of the keys' domain sizes (1 without GROUP BY). */
  public int groups() {
    int g = 1;
    for (Key k : keys) g = Math.multiplyExact(g, k.function().domain().size());
    return g;
  }

  /** The key values of group {@code g}, in key order. */
  public List<String> keyValues(int g) {
    List<String> values = new ArrayList<>(keys.size());
    int rest = g;
    for (int i = keys.size() - 1; i >= 0; i--) {
      List<String> domain = keys.get(i).function().domain();
      values.addFirst(domain.get(rest % domain.size()));
      rest /= domain.size();
    }
    return values;
  }

  /** The group index of a row whose keys evaluate to {@code keyIndexes} (each an index into its key's domain). */
  int groupOf(int[] keyIndexes) {
    int g = 0;
    for (int i = 0; i < keys.size(); i++) g = g * keys.get(i).function().domain().size() + keyIndexes[i];
    return g;
  }

  /**
   * This party's own noise for every measurement of every group (measurement-major, k·G values), or zeros without a
   * privacy budget: discrete Laplace with scale Δ·k/ε (Canonne, Kamath &amp; Steinke 2020, Algorithm 2).
   */
  public long[] noise(RandomGenerator random) {
    int g = groups();
    long[] out = new long[measurements.size() * g];
    Optional<OutputControls.Privacy> privacy = controls.privacy();
    if (privacy.isEmpty()) return out;
    BigDecimal e = privacy.get().epsilon().stripTrailingZeros();
    if (e.scale() < 0) e = e.setScale(0);
    for (int m = 0; m < measurements.size(); m++) {
      BigInteger t = BigInteger.valueOf(measurements.get(m).sensitivity()).multiply(BigInteger.valueOf(measurements.size()))
          .multiply(BigInteger.TEN.pow(e.scale()));
      BigInteger s = e.unscaledValue();
      BigInteger gcd = t.gcd(s);
      t = t.divide(gcd);
      s = s.divide(gcd);
      if (t.bitLength() > 40 || s.bitLength() > 40) {
        throw refused("epsilon " + privacy.get().epsilon().toPlainString() + " is too finely written for exact noise; use at most 6 decimal places");
      }
      DiscreteLaplace sampler = new DiscreteLaplace(t.longValueExact(), s.longValueExact(), random);
      for (int i = 0; i < g; i++) out[m * g + i] = sampler.sample();
    }
    return out;
  }

  /** The released table from the reconstructed vectors: per group a kept flag, then k·G measurements. */
  public OpenedTable release(long[] kept, long[] measured) {
    int g = groups();
    List<String> columns = outputs.stream().map(Output::label).toList();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < g; i++) if (kept[i] == 1) order.add(i);
    order.sort((a, b) -> {
      List<String> ka = keyValues(a), kb = keyValues(b);
      for (int[] o : orderBy) {
        String x = ka.get(o[0]), y = kb.get(o[0]);
        if (x == null || y == null) {
          if (x == y) continue;
          return x == null ? 1 : -1; // NULLS LAST in either direction, as the enclave database orders
        }
        int c = x.compareTo(y);
        if (c != 0) return o[1] * c;
      }
      return 0;
    });
    List<List<Object>> rows = new ArrayList<>();
    for (int group : order) {
      List<String> keyValues = keyValues(group);
      List<Object> row = new ArrayList<>(outputs.size());
      for (Output o : outputs) {
        switch (o.kind()) {
          case KEY -> row.add(keyValues.get(o.key()));
          case COUNT -> row.add(Math.max(0, measured[o.countMeasurement() * g + group]));
          case SUM -> row.add(BigDecimal.valueOf(measured[o.valueMeasurement() * g + group]).multiply(measurements.get(o.valueMeasurement()).granularity()));
          case AVG -> {
            long count = Math.max(0, measured[o.countMeasurement() * g + group]);
            if (count == 0) {
              row.add(null);
            } else {
              BigDecimal sum = BigDecimal.valueOf(measured[o.valueMeasurement() * g + group]).multiply(measurements.get(o.valueMeasurement()).granularity());
              BigDecimal avg = sum.divide(BigDecimal.valueOf(count), java.math.MathContext.DECIMAL64);
              if (o.bounds().isPresent()) avg = avg.max(o.bounds().get().lower()).min(o.bounds().get().upper());
              row.add(avg.doubleValue());
            }
          }
        }
      }
      rows.add(row);
    }
    return new OpenedTable(columns, rows);
  }

  /**
   * What the parties agree on before they compute, sealed with each party's shares: the SQL and the output controls,
   * from which the consumer compiles the same query to read the result ({@link #fromLayout}), and the shape it implies.
   */
  public Json.JObject layout() {
    Map<String, Object> bounds = new java.util.TreeMap<>();
    controls.privacy().ifPresent(p -> p.bounds().forEach((c, b) -> bounds.put(c, List.of(b.lower().toPlainString(), b.upper().toPlainString()))));
    Json.JObject privacy = controls.privacy().map(p -> Json.obj("epsilon", p.epsilon().toPlainString(), "bounds", bounds,
        "orderStatistics", p.orderStatistics())).orElse(null);
    return Json.obj("sql", sql, "minCohort", (long) controls.minCohort(), "privacy", privacy, "groups", (long) groups(),
        "measurements", measurements.stream().map(Measurement::name).toList(), "columns", outputs.stream().map(Output::label).toList());
  }

  /** The query the parties computed, compiled again from the layout they sealed; refuses a layout that does not compile to itself. */
  public static SecureAggregateQuery fromLayout(Json.JObject layout) {
    Optional<OutputControls.Privacy> privacy = Optional.empty();
    if (layout.has("privacy") && layout.get("privacy") instanceof Json.JObject p) {
      Map<String, Policy.Bounds> bounds = new java.util.TreeMap<>();
      p.object("bounds").members().forEach((c, v) -> {
        List<Json> range = ((Json.JArray) v).items();
        bounds.put(c, new Policy.Bounds(new BigDecimal(((Json.JString) range.get(0)).value()), new BigDecimal(((Json.JString) range.get(1)).value())));
      });
      privacy = Optional.of(new OutputControls.Privacy(new BigDecimal(p.string("epsilon")), bounds, p.bool("orderStatistics")));
    }
    SecureAggregateQuery q = compile(layout.string("sql"), new OutputControls((int) layout.number("minCohort"), privacy));
    if (!java.util.Arrays.equals(q.layout().canonicalBytes(), layout.canonicalBytes())) throw new io.covenant.core.error.IntegrityException("the sealed query layout does not compile to itself: it was altered");
    return q;
  }

  /** The SQL text the query was compiled from. */
  public String sql() {
    return sql;
  }

  private static int index(Map<String, Measurement> measurements, String key, Measurement m) {
    measurements.putIfAbsent(key, m);
    return new ArrayList<>(measurements.keySet()).indexOf(key);
  }

  private static PlainSelect parse(String text) {
    return SqlSyntax.plainSelect(text, SecureAggregateQuery::refused);
  }

  private static MpcQueryRefusedException refused(String why) {
    return new MpcQueryRefusedException("the multi-party engine refuses the query: " + why);
  }
}
