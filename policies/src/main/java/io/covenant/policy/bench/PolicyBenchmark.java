package io.covenant.policy.bench;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyDecision;
import io.covenant.policy.PolicyEvaluator;
import io.covenant.policy.UsageHistory;
import io.covenant.policy.UsageRequest;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * Decisions per second for a realistic policy set: 50 hospitals' claims policies (Cedar access rules, column rules,
 * half with a privacy budget and bounds) and a fixed-seed stream of consumers' SQL aggregates, about a third of them
 * denied (wrong purpose or consumer, an identifier in WHERE, a join key selected, an unbounded or un-noisable
 * aggregate, an expired window). Measured single-threaded and with two threads after a warm-up; the baseline in the
 * same process is parsing the same SQL with JSqlParser and nothing else.
 *
 * <p>{@code ./covenant bench policies} calls {@link #run(int, PrintStream)}.
 */
public final class PolicyBenchmark {
  private static final int DATASETS = 50;
  private static final int PARSE_BASELINE_QUERIES = 5_000;
  private static final long SEED = 20260501L;
  private static final Instant AT = Instant.parse("2026-06-01T12:00:00Z");

  private PolicyBenchmark() {}

  /**
   * One run's numbers.
   *
   * @param decisions decisions timed per thread configuration
   * @param permitted of the single-threaded decisions, how many were permitted (the rest denied)
   * @param oneThreadPerSecond decisions per second on one thread
   * @param twoThreadsPerSecond decisions per second on two threads together
   * @param parsesPerSecond JSqlParser parses per second of the stream's first 5,000 queries, on one thread: the baseline
   * @param distinctQueries distinct SQL texts in the stream (the analysis of each is cached after its first use)
   */
  public record Result(
      int decisions, long permitted, double oneThreadPerSecond, double twoThreadsPerSecond, double parsesPerSecond, int distinctQueries) {
    /** Decisions per parse: above 1 means a whole decision costs less than parsing the SQL once. */
    public double decisionsPerParse() {
      return oneThreadPerSecond / parsesPerSecond;
    }

    public String summary() {
      return String.format(java.util.Locale.ROOT,
          "policies: %,d decisions (%d%% permitted) over %d datasets, %d distinct queries%n"
              + "  1 thread : %,.0f decisions/s%n  2 threads: %,.0f decisions/s%n"
              + "  baseline : %,.0f JSqlParser parses/s (1 thread); decisions/parse = %.2f",
          decisions, Math.round(100.0 * permitted / decisions), DATASETS, distinctQueries, oneThreadPerSecond, twoThreadsPerSecond,
          parsesPerSecond, decisionsPerParse());
    }
  }

  /** One request with the policy that governs it. */
  private record Case(Policy policy, UsageRequest request, UsageHistory history) {}

  /** Runs {@code decisions} timed decisions per configuration, printing progress lines to {@code progress}. */
  public static Result run(int decisions, PrintStream progress) {
    if (decisions < 1000) throw new IllegalArgumentException("run at least 1000 decisions, got " + decisions);
    List<Case> stream = stream(decisions, new Random(SEED));
    int distinct = (int) stream.stream().map(c -> ((Computation.SqlQuery) c.request().computation()).sql()).distinct().count();
    PolicyEvaluator evaluator = new PolicyEvaluator();

    progress.println("policies: warming up (" + stream.size() + " requests, " + distinct + " distinct queries)");
    for (int round = 0; round < 3; round++) decide(evaluator, stream, 0, 1);

    progress.println("policies: timing 1 thread");
    long t0 = System.nanoTime();
    long permitted = decide(evaluator, stream, 0, 1);
    double one = stream.size() / seconds(t0);

    progress.println("policies: timing 2 threads");
    AtomicLong sink = new AtomicLong();
    Thread[] threads = new Thread[2];
    for (int round = 0; round < 2; round++) { // the first round warms the second thread's code paths
      for (int i = 0; i < threads.length; i++) {
        int first = i;
        threads[i] = new Thread(() -> sink.addAndGet(decide(evaluator, stream, first, threads.length)), "policy-bench-" + i);
      }
      t0 = System.nanoTime();
      for (Thread t : threads) t.start();
      for (Thread t : threads) join(t);
    }
    double two = stream.size() / seconds(t0);

    progress.println("policies: timing the JSqlParser baseline");
    // The parser is two orders of magnitude slower than a decision; a prefix of the stream keeps the run short.
    List<String> sql = stream.stream().limit(PARSE_BASELINE_QUERIES).map(c -> ((Computation.SqlQuery) c.request().computation()).sql()).toList();
    for (int round = 0; round < 2; round++) parseAll(sql);
    t0 = System.nanoTime();
    parseAll(sql);
    double parses = sql.size() / seconds(t0);

    Result r = new Result(stream.size(), permitted, one, two, parses, distinct);
    progress.println(r.summary());
    return r;
  }

  private static long decide(PolicyEvaluator evaluator, List<Case> stream, int first, int step) {
    long permitted = 0;
    for (int i = first; i < stream.size(); i += step) {
      Case c = stream.get(i);
      if (evaluator.evaluate(c.policy(), c.request(), c.history()).outcome() != PolicyDecision.Outcome.DENY) permitted++;
    }
    return permitted;
  }

  private static void parseAll(List<String> sql) {
    for (String s : sql) {
      try {
        if (CCJSqlParserUtil.parseStatements(s).isEmpty()) throw new IllegalStateException("no statement in " + s);
      } catch (JSQLParserException e) {
        throw new IllegalStateException("the benchmark's own query does not parse: " + s, e);
      }
    }
  }

  private static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while timing", e);
    }
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  static final DatasetSchema SCHEMA = new DatasetSchema(List.of(
      new Column("patient_id", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("member_key", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER),
      new Column("sex", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER),
      new Column("region", ColumnType.STRING, Sensitivity.PUBLIC),
      new Column("diagnosis", ColumnType.STRING, Sensitivity.SENSITIVE),
      new Column("admission_date", ColumnType.DATE, Sensitivity.QUASI_IDENTIFIER),
      new Column("length_of_stay", ColumnType.INT64, Sensitivity.SENSITIVE),
      new Column("claim_cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("ward_code", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER)));

  /** Aggregates of the size consumers write: group keys through the enclave macros, several statistics, filters. */
  private static final List<String> PERMITTED_SQL = List.of(
      "SELECT age_band(age) AS band, sex, COUNT(*) AS n, SUM(claim_cost) AS total, AVG(length_of_stay) AS stay "
          + "FROM claims WHERE admission_date >= DATE '2025-01-01' AND admission_date < DATE '2026-01-01' GROUP BY band, sex ORDER BY band, sex",
      "SELECT icd10_chapter(diagnosis) AS chapter, COUNT(*) AS n, AVG(claim_cost) AS mean_cost FROM claims "
          + "WHERE region IN ('north', 'south', 'east') AND age >= 18 GROUP BY chapter ORDER BY n DESC LIMIT 20",
      "SELECT region, sex, COUNT(*) AS n, SUM(length_of_stay) AS days FROM claims WHERE age BETWEEN 40 AND 64 GROUP BY region, sex",
      "SELECT age_band(age) AS band, COUNT(*) AS n, AVG(claim_cost) AS mean_cost, SUM(claim_cost) AS total_cost FROM claims "
          + "WHERE diagnosis LIKE 'E11%' OR diagnosis LIKE 'E10%' GROUP BY band",
      "SELECT sex, COUNT(*) FROM claims WHERE admission_date >= DATE '2026-01-01' GROUP BY sex");
  private static final List<String> DENIED_SQL = List.of(
      "SELECT AVG(claim_cost) AS cost FROM claims WHERE patient_id = 'p-%d'",
      "SELECT member_key, COUNT(*) AS n, SUM(claim_cost) AS total FROM claims GROUP BY member_key",
      "SELECT age_band(age) AS band, MAX(claim_cost) AS worst, COUNT(*) AS n FROM claims GROUP BY band",
      "SELECT age, sex, region, diagnosis FROM claims WHERE age > 90",
      "SELECT sex, COUNT(*) FROM claims WHERE ward_code = 'W%d' GROUP BY sex");

  private static List<Case> stream(int n, Random rnd) {
    List<Policy> policies = new ArrayList<>();
    for (int i = 0; i < DATASETS; i++) policies.add(policy(i));
    List<Case> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int d = rnd.nextInt(DATASETS);
      Policy p = policies.get(d);
      int kind = rnd.nextInt(100);
      String sql;
      OrgId consumer = OrgId.of("insurer-" + (d % 5));
      Purpose purpose = new Purpose("risk-model");
      Instant at = AT;
      if (kind < 65) {
        sql = PERMITTED_SQL.get(rnd.nextInt(PERMITTED_SQL.size()));
      } else if (kind < 88) {
        sql = DENIED_SQL.get(rnd.nextInt(DENIED_SQL.size())).replace("%d", Integer.toString(rnd.nextInt(50)));
      } else {
        sql = PERMITTED_SQL.get(rnd.nextInt(PERMITTED_SQL.size()));
        switch (kind % 3) {
          case 0 -> consumer = OrgId.of("marketer-" + rnd.nextInt(3));
          case 1 -> purpose = new Purpose("marketing");
          default -> at = Instant.parse("2028-01-01T00:00:00Z");
        }
      }
      UsageRequest r = new UsageRequest(consumer, purpose, Engine.TEE, DatasetVersion.parse(p.dataset() + "@" + (1 + d % 4)), "claims",
          SCHEMA, new Computation.SqlQuery(sql), at);
      out.add(new Case(p, r, new UsageHistory(rnd.nextInt(20), new BigDecimal("0.5"))));
    }
    return out;
  }

  private static Policy policy(int i) {
    String budget = i % 2 == 0
        ? ", \"privacy\": { \"epsilonPerQuery\": 0.25, \"epsilonTotal\": 10, \"bounds\": { \"claim_cost\": [0, 200000], \"length_of_stay\": [0, 365] } }"
        : "";
    return Policy.parse("""
        { "covenantPolicy": 1, "id": "hospital-%1$d-claims", "dataset": "hospital-%1$d/claims",
          "assignees": ["insurer-%2$d", "research-institute"], "purposes": ["risk-model", "research"], "engines": ["tee", "mpc"],
          "tee": { "allowSimulated": false, "measurements": ["%3$s"] },
          "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",
          "minCohort": %4$d, "maxUses": 1000, "obligations": ["delete-after-90-days"],
          "columns": { "patient_id": "never", "member_key": "join", "age": "dimension", "sex": "dimension", "region": "plain",
                       "diagnosis": "dimension", "admission_date": "filter", "length_of_stay": "aggregate", "claim_cost": "aggregate" },
          "defaultColumnRule": "never",
          "consent": { "subjectColumn": "patient_id", "excludedSubjects": ["%1$064x"] } %5$s }
        """.formatted(i, i % 5, String.format("%064x", i + 1), 10 + i % 3 * 5, budget));
  }
}
