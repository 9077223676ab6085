package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.schema.Column;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.core.schema.Sensitivity;
import io.covenant.core.text.TextTable;
import io.covenant.storage.dataset.ArrowSchemas;
import io.covenant.tee.compute.PlaintextBaseline;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The TEE benchmark's join and training figures: a hospital's claims, an insurer's policies and the insurer's tier
 * table (three datasets of two owners, each with a policy that rules the keys {@code join}), a three-way join
 * aggregated by region, and a gradient-boosted model trained on the claims ⋈ policies rows, each as a whole TEE job
 * (key releases, decryption, loading, the query or the training, sealing) against the same SQL or the same training
 * on the same plaintext rows in the same DuckDB in this JVM.
 */
final class TeeJoinBenchmark {
  private TeeJoinBenchmark() {}

  static final String JOIN_SQL = "SELECT t.region, COUNT(*) AS claims, AVG(c.cost) AS avg_cost FROM claims c "
      + "JOIN policies p ON c.member_key = p.member_key JOIN tiers t ON p.tier = t.tier GROUP BY t.region";
  static final Computation.ModelTraining TRAINING = new Computation.ModelTraining(
      "SELECT c.age, c.cost, p.premium, p.lapsed FROM claims c JOIN policies p ON c.member_key = p.member_key", "lapsed",
      Computation.ModelTraining.BINARY_LOGISTIC, 10, 6, new BigDecimal("0.3"));
  /** Logistic regression on the same join: XGBoost's linear booster, 10 passes of coordinate descent. */
  static final Computation.ModelTraining LOGISTIC_REGRESSION = new Computation.ModelTraining(TRAINING.featureSql(), TRAINING.label(),
      Computation.ModelTraining.BINARY_LOGISTIC, 10, 1, new BigDecimal("0.5"), Computation.ModelTraining.Learner.LINEAR);
  private static final OrgId HOSPITAL = OrgId.of("hospital-a");
  private static final OrgId INSURER = OrgId.of("insurer-x");
  private static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};
  private static final String[] REGIONS = {"north", "south", "east", "west"};

  static final DatasetSchema CLAIMS = new DatasetSchema(List.of(new Column("member_key", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("age", ColumnType.INT64, Sensitivity.QUASI_IDENTIFIER), new Column("cost", ColumnType.FLOAT64, Sensitivity.SENSITIVE)));
  static final DatasetSchema POLICIES = new DatasetSchema(List.of(new Column("member_key", ColumnType.STRING, Sensitivity.IDENTIFIER),
      new Column("tier", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER), new Column("premium", ColumnType.FLOAT64, Sensitivity.SENSITIVE),
      new Column("lapsed", ColumnType.INT64, Sensitivity.SENSITIVE)));
  static final DatasetSchema TIER_TABLE = new DatasetSchema(List.of(new Column("tier", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER),
      new Column("region", ColumnType.STRING, Sensitivity.QUASI_IDENTIFIER)));

  record Row(String measure, double tee, double plain) {}

  static List<Row> run(int members, int runs, Path workDir, PrintStream progress) {
    if (members < 1000) throw new CovenantException("--join-rows must be at least 1000, got " + members);
    double[] teeJoin = new double[runs];
    double[] teeTrain = new double[runs];
    double[] teeLinear = new double[runs];
    try (LocalDeployment d = LocalDeployment.open(workDir.resolve("join-" + members), BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED)) {
      d.createOrganisation(HOSPITAL, "St. Anne's Hospital", Set.of(OrgRole.OWNER));
      d.createOrganisation(INSURER, "Insurer X", Set.of(OrgRole.OWNER, OrgRole.CONSUMER));
      progress.printf(Locale.ROOT, "bench tee: join and training, %,d members: publishing three sealed datasets...%n", members);
      List<DatasetVersion> all = new ArrayList<>();
      try (BufferAllocator allocator = new RootAllocator()) {
        all.add(d.owner(HOSPITAL).publish("claims", CLAIMS, batches(allocator, CLAIMS, members, TeeJoinBenchmark::claim)).version());
        all.add(d.owner(INSURER).publish("policies", POLICIES, batches(allocator, POLICIES, members, TeeJoinBenchmark::policy)).version());
        all.add(d.owner(INSURER).publish("tiers", TIER_TABLE, batches(allocator, TIER_TABLE, TIERS.length, TeeJoinBenchmark::tier)).version());
      }
      d.owner(HOSPITAL).publishPolicy(policy("hospital-a/claims", Json.obj("member_key", "join", "age", "aggregate", "cost", "aggregate"), List.of("age", "cost")));
      d.owner(INSURER).publishPolicy(policy("insurer-x/policies", Json.obj("member_key", "join", "tier", "join", "premium", "aggregate", "lapsed", "aggregate"),
          List.of("premium", "lapsed")));
      d.owner(INSURER).publishPolicy(policy("insurer-x/tiers", Json.obj("tier", "join", "region", "dimension"), List.of()));
      var consumer = d.consumer(INSURER);
      for (int i = -1; i < runs; i++) {
        progress.printf(Locale.ROOT, "bench tee: three-way join as a TEE job %s...%n", i < 0 ? "(warm-up)" : (i + 1) + " of " + runs);
        long t0 = System.nanoTime();
        JobOutcome join = consumer.submit(all, Engine.TEE, new Purpose("risk-model"), new Computation.SqlQuery(JOIN_SQL));
        long t1 = System.nanoTime();
        if (join.state() != JobState.COMMITTED) throw new CovenantException("the join job ended " + join.state() + ": " + join.reasons());
        progress.printf(Locale.ROOT, "bench tee: training on the join as a TEE job %s...%n", i < 0 ? "(warm-up)" : (i + 1) + " of " + runs);
        long t2 = System.nanoTime();
        JobOutcome train = consumer.submit(all.subList(0, 2), Engine.TEE, new Purpose("risk-model"), TRAINING);
        long t3 = System.nanoTime();
        if (train.state() != JobState.COMMITTED) throw new CovenantException("the training job ended " + train.state() + ": " + train.reasons());
        long t4 = System.nanoTime();
        JobOutcome linear = consumer.submit(all.subList(0, 2), Engine.TEE, new Purpose("risk-model"), LOGISTIC_REGRESSION);
        long t5 = System.nanoTime();
        if (linear.state() != JobState.COMMITTED) throw new CovenantException("the logistic regression job ended " + linear.state() + ": " + linear.reasons());
        if (i >= 0) {
          teeJoin[i] = (t1 - t0) / 1e9;
          teeTrain[i] = (t3 - t2) / 1e9;
          teeLinear[i] = (t5 - t4) / 1e9;
        }
      }
    }
    double[] plainJoin = new double[runs];
    double[] plainTrain = new double[runs];
    double[] plainLinear = new double[runs];
    for (int i = -1; i < runs; i++) {
      progress.printf(Locale.ROOT, "bench tee: the same join and training on plaintext %s...%n", i < 0 ? "(warm-up)" : (i + 1) + " of " + runs);
      try (PlaintextBaseline db = new PlaintextBaseline(); BufferAllocator allocator = new RootAllocator()) {
        long loading = load(db, allocator, "claims", CLAIMS, members, TeeJoinBenchmark::claim)
            + load(db, allocator, "policies", POLICIES, members, TeeJoinBenchmark::policy)
            + load(db, allocator, "tiers", TIER_TABLE, TIERS.length, TeeJoinBenchmark::tier);
        db.lock();
        long t0 = System.nanoTime();
        if (db.query(JOIN_SQL) == 0) throw new CovenantException("the plaintext join returned no rows; the benchmark data is wrong");
        long t1 = System.nanoTime();
        db.train(TRAINING, Set.of("claims", "policies", "tiers"));
        long t2 = System.nanoTime();
        db.train(LOGISTIC_REGRESSION, Set.of("claims", "policies", "tiers"));
        long t3 = System.nanoTime();
        if (i >= 0) {
          plainJoin[i] = (loading + t1 - t0) / 1e9;
          plainTrain[i] = (loading + t2 - t1) / 1e9;
          plainLinear[i] = (loading + t3 - t2) / 1e9;
        }
      }
    }
    return List.of(
        new Row(String.format(Locale.ROOT, "three-way join, %,d claims x %,d policies x %d tiers, by region", members, members, TIERS.length),
            BenchStats.median(teeJoin), BenchStats.median(plainJoin)),
        new Row(String.format(Locale.ROOT, "gradient-boosted trees (10 rounds, depth 6) on %,d joined rows", members), BenchStats.median(teeTrain), BenchStats.median(plainTrain)),
        new Row(String.format(Locale.ROOT, "logistic regression (linear booster, 10 passes) on %,d joined rows", members), BenchStats.median(teeLinear),
            BenchStats.median(plainLinear)));
  }

  static String table(List<Row> rows) {
    TextTable t = TextTable.withHeaders("job", "TEE job (s)", "plaintext load + work (s)", "TEE / plaintext").maxCellWidth(100);
    for (Row r : rows) {
      t.row(r.measure(), String.format(Locale.ROOT, "%.2f", r.tee()), String.format(Locale.ROOT, "%.2f", r.plain()),
          String.format(Locale.ROOT, "%.2f", r.tee() / r.plain()));
    }
    return t.render();
  }

  /** A policy allowing the benchmark's jobs; with no training columns, one that allows no training (the tier table). */
  private static String policy(String dataset, Json.JObject columns, List<String> training) {
    Json.JObject policy = Json.obj("covenantPolicy", 1, "id", dataset.replace('/', '-') + "-bench", "dataset", dataset,
        "assignees", List.of(INSURER.value()), "purposes", List.of("risk-model"), "engines", List.of("tee"),
        "tee", Json.obj("allowSimulated", true, "measurements", List.of(LocalDeployment.workerMeasurement().hex())),
        "minCohort", 10, "columns", columns, "defaultColumnRule", "never", "privacy", Json.obj("exact", true));
    if (training.isEmpty()) return policy.encode();
    java.util.Map<String, Json> withTraining = new java.util.TreeMap<>(policy.members());
    withTraining.put("training", Json.obj("columns", training, "minRows", 100));
    return new Json.JObject(withTraining).encode();
  }

  // Row i of each table, from a generator seeded by i, so both sides hold the same rows without keeping them.
  private static void claim(VectorSchemaRoot root, int i) {
    SplittableRandom r = new SplittableRandom(i);
    string(root, "member_key", i, "m" + i);
    ((BigIntVector) root.getVector("age")).set(row(root, i), 18 + r.nextInt(70));
    ((Float8Vector) root.getVector("cost")).set(row(root, i), Math.round(r.nextDouble(50, 20_000) * 100) / 100.0);
  }

  private static void policy(VectorSchemaRoot root, int i) {
    SplittableRandom r = new SplittableRandom(i ^ 0x5DEECE66DL);
    int tier = r.nextInt(TIERS.length);
    string(root, "member_key", i, "m" + i);
    string(root, "tier", i, TIERS[tier]);
    ((Float8Vector) root.getVector("premium")).set(row(root, i), 300 + tier * 250 + r.nextDouble(0, 200));
    ((BigIntVector) root.getVector("lapsed")).set(row(root, i), r.nextDouble() < 0.1 + 0.05 * tier ? 1 : 0);
  }

  private static void tier(VectorSchemaRoot root, int i) {
    string(root, "tier", i, TIERS[i]);
    string(root, "region", i, REGIONS[i % REGIONS.length]);
  }

  private static final int BATCH = 65_536;

  private static int row(VectorSchemaRoot root, int i) {
    return i % BATCH;
  }

  private static void string(VectorSchemaRoot root, String column, int i, String value) {
    ((VarCharVector) root.getVector(column)).setSafe(row(root, i), value.getBytes(StandardCharsets.UTF_8));
  }

  /** Batches of {@code rows} generated rows, one Arrow root reused batch after batch. */
  private static Iterator<VectorSchemaRoot> batches(BufferAllocator allocator, DatasetSchema schema, int rows, BiConsumer<VectorSchemaRoot, Integer> fill) {
    VectorSchemaRoot root = VectorSchemaRoot.create(ArrowSchemas.toArrow(schema), allocator);
    return new Iterator<>() {
      int next = 0;

      @Override
      public boolean hasNext() {
        if (next >= rows) root.close();
        return next < rows;
      }

      @Override
      public VectorSchemaRoot next() {
        if (next >= rows) throw new NoSuchElementException();
        int n = Math.min(BATCH, rows - next);
        root.getFieldVectors().forEach(v -> v.setInitialCapacity(n));
        root.allocateNew();
        for (int k = 0; k < n; k++) fill.accept(root, next + k);
        root.setRowCount(n);
        next += n;
        return root;
      }
    };
  }

  /** Loads the plaintext rows through the baseline's appender; returns the nanoseconds spent appending. */
  private static long load(PlaintextBaseline db, BufferAllocator allocator, String table, DatasetSchema schema, int rows,
      BiConsumer<VectorSchemaRoot, Integer> fill) {
    db.createTable(table, schema);
    long nanos = 0;
    Iterator<VectorSchemaRoot> it = batches(allocator, schema, rows, fill);
    while (it.hasNext()) {
      VectorSchemaRoot batch = it.next();
      long t0 = System.nanoTime();
      db.append(table, batch);
      nanos += System.nanoTime() - t0;
    }
    return nanos;
  }
}
