package io.covenant.coordinator.demo;

import io.covenant.coordinator.deployment.DeploymentFile;
import io.covenant.coordinator.deployment.DeploymentRunner;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.coordinator.deployment.ProcessSupervisor;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * {@code ./covenant demo he}: homomorphic encryption with every organisation in its own process. insurer-x scores
 * hospital-a's claims with its private pricing model (the weights stay at insurer-x's node, encrypted under a key made
 * there for the job; hospital-a's node evaluates it on its own rows under encryption), then sums per-diagnosis counts
 * and claim costs across the three hospitals (each hospital's node encrypts its own vector under insurer-x's key; the
 * coordinator adds the ciphertexts without any key). Only insurer-x's node decrypts. Both results are printed beside
 * the plaintext answers (the demo generated the data, so it knows them; no party does), with the precision reached, and
 * the trail is verified.
 */
public final class HeDemo {
  /** The insurer's pricing model: premium = 120 + 2.1·age + 35·length_of_stay + 0.05·claim_cost (its secret). */
  public static final double[] WEIGHTS = {2.1, 35.0, 0.05};
  public static final double BIAS = 120.0;
  public static final List<String> FEATURES = List.of("age", "length_of_stay", "claim_cost");
  public static final String MODEL = "pricing-2026";
  /**
   * The largest |value| insurer-x expects per feature (age, days in hospital, claim cost): public, since its probe rows
   * are drawn within them and reach hospital-a in the clear, so that the precision is measured at the claims' size.
   */
  public static final double[] FEATURE_SCALES = {100, 60, 100_000};
  /** The row limit hospital-a's policy sets for a scoring job. */
  public static final int MAX_ROWS = 5000;
  public static final List<String> DIAGNOSES = List.of("Z38.0", "O80", "J18.9", "I10", "E11.9", "I21.9", "I50.9", "I63.9", "N18.3", "C50.9",
      "C34.9", "K35.8", "K80.2", "S72.0", "S06.0", "F32.9", "M17.1", "J44.1", "J45.9", "A41.9", "R07.4");
  public static final int MIN_COHORT = 10;

  private final PrintStream out;

  public HeDemo(PrintStream out) {
    this.out = out;
  }

  /** What a run produced, for tests; the processes stay up until the caller closes it. */
  public record Outcome(ProcessDemo.Running running, Json.JObject scoreJob, Json.JObject aggregateJob, Json.JObject scores, Json.JObject total, double scoreError,
      double totalError, Json.JObject audit)
      implements AutoCloseable {
    @Override
    public void close() {
      running.close();
    }
  }

  public Outcome run(Path dir) {
    long startedAt = System.nanoTime();
    int steps = 7;
    out.println("Covenant demo, one process per organisation: homomorphic encryption (Microsoft SEAL, CKKS) on the organisations' own nodes");
    out.println("folder: " + dir.toAbsolutePath());
    Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) nodeDirs.put(h.org(), dir.resolve("nodes").resolve(h.org().value()));
    OrgId insurer = HospitalInsurerDemo.INSURER;
    nodeDirs.put(insurer, dir.resolve("nodes").resolve(insurer.value()));
    DeploymentFile deployment = ProcessDemo.deployment(dir, nodeDirs);
    out.println("[1/" + steps + "] Enrolling the operator, three hospitals, the insurer and the TEE worker, each into its own folder");
    if (!DeploymentRunner.enrolled(deployment)) {
      DeploymentRunner.enrol(deployment, new PrintStream(java.io.OutputStream.nullOutputStream()));
      out.println("  ... " + (nodeDirs.size() + 2) + " identities certified by the consortium CA in " + dir.resolve("ca"));
    } else {
      out.println("  ... already enrolled by an earlier run");
    }
    out.println("[2/" + steps + "] Starting the processes (free ports on loopback; logs in " + dir.resolve("logs") + ")");
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("logs"), out);
    try {
      DeploymentRunner.Started started = DeploymentRunner.start(deployment, Set.of(), supervisor);
      out.println("[3/" + steps + "] Each hospital publishes its claims with a policy for the he engine (features only inside a model, at most "
          + MAX_ROWS + " rows scored, groups below " + MIN_COHORT + " left out); insurer-x stores its pricing model at its own node");
      List<String> versions = new ArrayList<>();
      TextTable published = TextTable.withHeaders("dataset", "rows", "policy hash");
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        Path node = nodeDirs.get(h.org());
        Json.JObject d = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-synthetic-claims", "name", "claims", "seed", h.seed(), "rows", h.rows(),
            "costLevel", String.valueOf(h.costLevel())));
        Json.JObject p = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-policy", "policy", policy(h.org())));
        versions.add(d.string("dataset"));
        published.row(d.string("dataset"), d.number("rows"), p.string("hash").substring(0, 16) + "…");
      }
      out.print(ProcessDemo.indent(published.render()));
      NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "he-model", "name", MODEL, "weights", java.util.Arrays.stream(WEIGHTS).boxed().map(w -> (Object) java.math.BigDecimal.valueOf(w)).toList(),
          "bias", java.math.BigDecimal.valueOf(BIAS), "featureScales", java.util.Arrays.stream(FEATURE_SCALES).boxed().map(v -> (Object) java.math.BigDecimal.valueOf(v)).toList()));
      out.println("  ... insurer-x's model " + MODEL + " (linear, " + FEATURES.size() + " weights) is in its node's folder; only its encryption leaves");

      var hospitalA = HospitalInsurerDemo.HOSPITALS.getFirst();
      out.println("[4/" + steps + "] insurer-x scores " + hospitalA.org() + "'s claims: its node encrypts the model under a key made for the job, "
          + hospitalA.org() + "'s node evaluates it on its own rows under encryption, insurer-x's node decrypts");
      Json.JObject score = submit(nodeDirs.get(insurer), List.of(versions.getFirst()), new Computation.HeScore(MODEL, FEATURES, Computation.HeScore.LINEAR));
      Json.JObject scores = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "result", "job", score.string("job")));
      double[] plainScores = plaintextScores(hospitalA);
      List<Json> data = scores.array("data");
      if (data.size() != plainScores.length) throw new CovenantException("the job scored " + data.size() + " rows; the plaintext has " + plainScores.length);
      double scoreError = 0;
      TextTable compareScores = TextTable.withHeaders("row", "encrypted route", "plaintext", "difference");
      for (int i = 0; i < data.size(); i++) {
        double v = Double.parseDouble(((Json.JString) ((Json.JArray) data.get(i)).items().get(1)).value());
        scoreError = Math.max(scoreError, Math.abs(v - plainScores[i]));
        if (i < 5) compareScores.row(i + 1, fmt(v), fmt(plainScores[i]), String.format(Locale.ROOT, "%.2e", Math.abs(v - plainScores[i])));
      }
      compareScores.row("…", Plural.of(data.size() - 5, "more row"), "", "");
      out.print(ProcessDemo.indent(compareScores.render()));
      out.println(String.format(Locale.ROOT, "  ... job %s: %s scored (the policy's limit); largest difference from plaintext %.2e (6 decimals printed)",
          score.string("job"), Plural.of(data.size(), "row"), scoreError));
      out.println("  precision: " + scores.string("precision"));

      out.println("[5/" + steps + "] insurer-x sums per-diagnosis claim counts and costs across the three hospitals: each hospital's node encrypts its own "
          + "vector under insurer-x's key, the coordinator adds the ciphertexts (no key), insurer-x's node decrypts the total");
      Json.JObject aggregate = submit(nodeDirs.get(insurer), versions, new Computation.HeAggregate("diagnosis", DIAGNOSES, Optional.of("claim_cost")));
      Json.JObject total = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "result", "job", aggregate.string("job")));
      Map<String, double[]> plainTotals = plaintextTotals();
      double totalError = 0;
      TextTable compareTotals = TextTable.withHeaders("diagnosis", "claims (encrypted route)", "claims (plaintext)", "cost (encrypted route)", "cost (plaintext)");
      for (Json row : total.array("data")) {
        List<Json> cells = ((Json.JArray) row).items();
        String g = ((Json.JString) cells.get(0)).value();
        double count = Double.parseDouble(((Json.JString) cells.get(1)).value());
        double cost = Double.parseDouble(((Json.JString) cells.get(2)).value());
        double[] plain = plainTotals.get(g);
        totalError = Math.max(totalError, Math.max(Math.abs(count - plain[0]), Math.abs(cost - plain[1])));
        compareTotals.row(g, String.format(Locale.ROOT, "%.3f", count), String.format(Locale.ROOT, "%.0f", plain[0]), String.format(Locale.ROOT, "%.2f", cost),
            String.format(Locale.ROOT, "%.2f", plain[1]));
      }
      out.print(ProcessDemo.indent(compareTotals.render()));
      out.println(String.format(Locale.ROOT, "  ... job %s: largest difference from plaintext %.2e", aggregate.string("job"), totalError));
      out.println("  precision: " + total.string("precision"));

      out.println("[6/" + steps + "] Audit trails of both jobs from insurer-x's own verified copy of the log: each ciphertext by its hash, signed by "
          + "the organisation that made it");
      for (Json.JObject j : List.of(score, aggregate)) {
        Json.JObject trail = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "trail", "job", j.string("job")));
        out.print(ProcessDemo.indent(trail.string("table")));
      }
      out.println("[7/" + steps + "] insurer-x verifies the log as an auditor does (signatures, hash chain, Merkle root, job lifecycles, ciphertext hashes)");
      Json.JObject audit = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "audit"));
      if (!audit.bool("ok")) throw new CovenantException("the log does not verify: " + audit.string("failure", "?"));
      out.println("  verified (" + Plural.of(audit.number("entries"), "entry", "entries") + ", " + Plural.of(audit.number("jobs"), "job") + ")");
      supervisor.requireAlive();
      out.printf(Locale.ROOT, "Demo complete in %.1f s, every organisation in its own process. Inspect it: ./covenant verify --data-dir %s%n",
          (System.nanoTime() - startedAt) / 1e9, dir.resolve("coordinator"));
      ProcessDemo.Running running = new ProcessDemo.Running(supervisor, dir, started.coordinatorApi(), nodeDirs, started.nodeArgs(), started.workerArgs(), versions,
          score.string("job"), scores, audit, total, Optional.of(aggregate.string("job")));
      return new Outcome(running, score, aggregate, scores, total, scoreError, totalError, audit);
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  /** Submits an he job from the insurer's node; it must commit. */
  static Json.JObject submit(Path insurerNode, List<String> versions, Computation computation) {
    Json.JObject job = (Json.JObject) NodeDesk.ask(insurerNode, Json.obj("op", "submit", "datasets", versions, "engine", "he", "purpose", "risk-model",
        "computation", computation.toJson()));
    if (!"COMMITTED".equals(job.string("state"))) {
      throw new CovenantException("the he job ended " + job.string("state") + ": " + job.members().get("reasons").encode());
    }
    return job;
  }

  /** A hospital's policy for the he engine: the model's features and the summed cost only inside computations, the diagnosis a group key. */
  public static String policy(OrgId hospital) {
    return Json.obj("covenantPolicy", 1, "id", hospital.value() + "-claims-insurer-he", "dataset", hospital.value() + "/claims",
        "assignees", List.of(HospitalInsurerDemo.INSURER.value()), "purposes", List.of("risk-model"), "engines", List.of("he"), "minCohort", MIN_COHORT,
        "columns", Json.obj("patient_id", "never", "age", "aggregate", "sex", "dimension", "diagnosis", "dimension", "admission_date", "filter",
            "length_of_stay", "aggregate", "claim_cost", "aggregate"),
        "defaultColumnRule", "never", "maxUses", 50, "approval", Json.obj("required", false),
        "he", Json.obj("maxRows", MAX_ROWS, "scoreNoise", 0)).encode();
  }

  /** The plaintext scores (for tests that look for them where they must not be). */
  public static double[] plaintextScoresOf(HospitalInsurerDemo.Hospital h) {
    return plaintextScores(h);
  }

  /** The plaintext totals (for tests that look for them where they must not be). */
  public static Map<String, double[]> plaintextTotalsOfHospitals() {
    return plaintextTotals();
  }

  /** The pricing model's scores of the hospital's first {@link #MAX_ROWS} rows, in the clear (what no party computes). */
  static double[] plaintextScores(HospitalInsurerDemo.Hospital h) {
    List<Double> scores = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator(); var batches = SyntheticClaims.generate(allocator, h.seed(), h.rows(), h.costLevel(), 4096)) {
      while (batches.hasNext() && scores.size() < MAX_ROWS) {
        VectorSchemaRoot b = batches.next();
        BigIntVector age = (BigIntVector) b.getVector("age");
        BigIntVector stay = (BigIntVector) b.getVector("length_of_stay");
        Float8Vector cost = (Float8Vector) b.getVector("claim_cost");
        for (int i = 0; i < b.getRowCount() && scores.size() < MAX_ROWS; i++) {
          if (age.isNull(i) || stay.isNull(i) || cost.isNull(i)) continue;
          scores.add(BIAS + WEIGHTS[0] * age.get(i) + WEIGHTS[1] * stay.get(i) + WEIGHTS[2] * cost.get(i));
        }
      }
    }
    return scores.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** Per diagnosis, {claims, cost} summed over the hospitals, each hospital's groups below the cohort left out as its node does. */
  static Map<String, double[]> plaintextTotals() {
    Map<String, double[]> totals = new HashMap<>();
    for (String g : DIAGNOSES) totals.put(g, new double[2]);
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      Map<String, double[]> own = new HashMap<>();
      try (RootAllocator allocator = new RootAllocator(); var batches = SyntheticClaims.generate(allocator, h.seed(), h.rows(), h.costLevel(), 4096)) {
        while (batches.hasNext()) {
          VectorSchemaRoot b = batches.next();
          VarCharVector diagnosis = (VarCharVector) b.getVector("diagnosis");
          Float8Vector cost = (Float8Vector) b.getVector("claim_cost");
          for (int i = 0; i < b.getRowCount(); i++) {
            if (diagnosis.isNull(i) || cost.isNull(i)) continue;
            String g = new String(diagnosis.get(i), java.nio.charset.StandardCharsets.UTF_8);
            if (!totals.containsKey(g)) continue;
            double[] t = own.computeIfAbsent(g, k -> new double[2]);
            t[0]++;
            t[1] += cost.get(i);
          }
        }
      }
      own.forEach((g, t) -> {
        if (t[0] < MIN_COHORT) return;
        totals.get(g)[0] += t[0];
        totals.get(g)[1] += t[1];
      });
    }
    return totals;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
