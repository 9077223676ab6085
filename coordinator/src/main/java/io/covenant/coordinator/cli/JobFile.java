package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A job as a person writes it: {@code {"consumer", "purpose", "engine", "datasets": [...], "sql"}}, or, for a model
 * trained in the enclave, {@code "train": {"featureSql", "label", "objective", "rounds", "maxDepth", "learningRate"}}
 * instead of {@code "sql"} (rounds, maxDepth and learningRate default to XGBoost's 10, 6 and 0.3), or, for a vertical
 * logistic regression on the multi-party engine, {@code "model": {"idColumn", "features", "label", "helper", "epochs",
 * "batchSize", "learningRate"}} (the first dataset holds the features, the second the label; epochs, batch size and
 * learning rate default to 3, 64 and 0.5), or, for a private set intersection on the multi-party engine,
 * {@code "intersect": {"idColumn", "learners"}} (two datasets, one the consumer's; learners {@code consumer} or
 * {@code both}, default consumer), or for federated training {@code "federated": {...}}, or, on the
 * homomorphic-encryption engine, {@code "score": {"model", "features", "link"}} (the consumer's model held at its node,
 * over one owner's feature columns) or {@code "aggregate": {"groupBy", "groups", "sum"}} (counts, and sums of a column,
 * per group, added up across owners). Datasets may omit their version ({@code hospital-a/claims}) to mean the
 * latest published one.
 */
public record JobFile(OrgId consumer, Purpose purpose, Engine engine, java.util.List<String> datasets, Computation computation) {
  /** How the help texts describe the file's form. */
  static final String FORM_TEXT =
      "{\"consumer\": ORG, \"purpose\": P, \"engine\": \"tee\", \"datasets\": [\"owner/name[@v]\", ...], \"sql\": \"SELECT ...\"}. "
          + "To train a gradient-boosted model in the enclave instead, give \"train\": {\"featureSql\": \"SELECT ...\", \"label\": COLUMN, "
          + "\"objective\": \"binary:logistic\" or \"reg:squarederror\", \"rounds\": 10, \"maxDepth\": 6, \"learningRate\": 0.3} in place of \"sql\" "
          + "(\"learner\": \"linear\" trains logistic or linear regression instead of trees). "
          + "For a vertical logistic regression on the mpc engine (features in the first dataset, the 0/1 label in the second), give \"model\": "
          + "{\"idColumn\": COLUMN, \"features\": [COLUMN, ...], \"label\": COLUMN, \"helper\": ORG, \"epochs\": 3, \"batchSize\": 64, \"learningRate\": 0.5}. "
          + "To learn which of your ids another owner's dataset also holds (a private set intersection on the mpc engine, your dataset and theirs), "
          + "give \"intersect\": {\"idColumn\": COLUMN, \"learners\": \"consumer\" or \"both\", \"protocol\": \"kkrt16\" or \"ecdh-p256\"}. "
          + "For federated training on the fl engine (every owner trains on its own rows), give \"federated\": {\"features\": [COLUMN, ...], "
          + "\"label\": COLUMN, \"model\": \"logistic-regression\" or \"mlp\", \"hiddenUnits\": 16, \"rounds\": 15, \"localEpochs\": 1, "
          + "\"batchSize\": 32, \"learningRate\": 0.1, \"proximalMu\": 0, \"clippingNorm\": 1, \"noiseMultiplier\": 0.5, \"delta\": 0.00001, "
          + "\"dropoutTolerance\": 0.34} (noiseMultiplier 0: no differential privacy). "
          + "On the he engine, give \"score\": {\"model\": NAME, \"features\": [COLUMN, ...], \"link\": \"linear\" or \"logistic\"} to score one owner's rows "
          + "with the model NAME held at the consumer's node, or \"aggregate\": {\"groupBy\": COLUMN, \"groups\": [VALUE, ...], \"sum\": COLUMN} to add up "
          + "per-group counts (and sums of a column) across owners under encryption. "
          + "On the mpc engine, a query may add \"security\": \"malicious\" to run in SPDZ (a deviating party is detected and the job aborts; "
          + "small computations only) instead of the default \"semi-honest\".";
  private static final java.util.Set<String> FIELDS = java.util.Set.of("consumer", "purpose", "engine", "datasets", "sql", "train", "model", "intersect",
      "federated", "score", "aggregate", "security");
  private static final java.util.Set<String> FEDERATED_FIELDS = java.util.Set.of("features", "label", "model", "hiddenUnits", "rounds", "localEpochs",
      "batchSize", "learningRate", "proximalMu", "clippingNorm", "noiseMultiplier", "delta", "dropoutTolerance");
  private static final java.util.Set<String> SCORE_FIELDS = java.util.Set.of("model", "features", "link");
  private static final java.util.Set<String> AGGREGATE_FIELDS = java.util.Set.of("groupBy", "groups", "sum");
  private static final java.util.Set<String> MODEL_FIELDS = java.util.Set.of("idColumn", "features", "label", "helper", "epochs", "batchSize", "learningRate");
  private static final java.util.Set<String> TRAIN_FIELDS = java.util.Set.of("featureSql", "label", "objective", "learner", "rounds", "maxDepth", "learningRate");

  static JobFile read(Path file) {
    if (!Files.isRegularFile(file)) throw new CovenantException("no job file at " + file + "; see './covenant job submit --help' for its form");
    try {
      return fromJson(Json.parseObject(Files.readString(file)));
    } catch (MalformedInputException e) {
      throw new MalformedInputException("job file " + file + ": " + e.getMessage());
    } catch (IOException e) {
      throw new CovenantException("cannot read job file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A job file's JSON form (the web console's job composer sends the same form); refuses unknown fields. */
  public static JobFile fromJson(Json.JObject o) {
    unknown(o, FIELDS, "");
    return new JobFile(new OrgId(o.string("consumer")), new Purpose(o.string("purpose")), Engine.parse(o.string("engine", "tee")),
        o.strings("datasets"), computation(o));
  }

  private static Computation computation(Json.JObject o) {
    int given = (o.has("sql") ? 1 : 0) + (o.has("train") ? 1 : 0) + (o.has("model") ? 1 : 0) + (o.has("intersect") ? 1 : 0) + (o.has("federated") ? 1 : 0)
        + (o.has("score") ? 1 : 0) + (o.has("aggregate") ? 1 : 0);
    if (given != 1) {
      throw new MalformedInputException("give one of \"sql\" (a query), \"train\" (a model trained in the enclave), \"model\" (a vertical model "
          + "trained in MPC), \"intersect\" (a private set intersection), \"federated\" (a model trained by federated learning), \"score\" or "
          + "\"aggregate\" (on the he engine), " + (given == 0 ? "none is there" : "not several"));
    }
    if (o.has("security") && (!o.has("sql") || !"mpc".equals(o.string("engine", "tee")))) {
      throw new MalformedInputException("\"security\" chooses the adversary of a multi-party query: give it with \"engine\": \"mpc\" and \"sql\", "
          + "or leave it out");
    }
    if (o.has("sql")) {
      return new Computation.SqlQuery(o.string("sql"), o.has("security") ? io.covenant.core.job.MpcSecurity.parse(o.string("security"))
          : io.covenant.core.job.MpcSecurity.SEMI_HONEST);
    }
    if (o.has("intersect")) {
      Json.JObject i = o.object("intersect");
      unknown(i, java.util.Set.of("idColumn", "learners", "protocol"), "intersect.");
      return new Computation.PrivateSetIntersection(i.string("idColumn"), Computation.PrivateSetIntersection.Learners.parse(i.string("learners", "consumer")),
          i.string("protocol", Computation.PrivateSetIntersection.KKRT16));
    }
    if (o.has("federated")) {
      Json.JObject f = o.object("federated");
      unknown(f, FEDERATED_FIELDS, "federated.");
      String model = f.string("model", Computation.FederatedTraining.LOGISTIC_REGRESSION);
      return new Computation.FederatedTraining(model,
          (int) Math.clamp(f.number("hiddenUnits", Computation.FederatedTraining.MLP.equals(model) ? 16 : 0), Integer.MIN_VALUE, Integer.MAX_VALUE),
          f.strings("features"), f.string("label"), (int) Math.clamp(f.number("rounds", 15), Integer.MIN_VALUE, Integer.MAX_VALUE),
          (int) Math.clamp(f.number("localEpochs", 1), Integer.MIN_VALUE, Integer.MAX_VALUE),
          (int) Math.clamp(f.number("batchSize", 32), Integer.MIN_VALUE, Integer.MAX_VALUE), decimal(f, "learningRate", "0.1"), decimal(f, "proximalMu", "0"),
          decimal(f, "clippingNorm", "0"), decimal(f, "noiseMultiplier", "0"), decimal(f, "delta", "0.00001"), decimal(f, "dropoutTolerance", "0.34"));
    }
    if (o.has("score")) {
      Json.JObject m = o.object("score");
      unknown(m, SCORE_FIELDS, "score.");
      return new Computation.HeScore(m.string("model"), m.strings("features"), m.string("link", Computation.HeScore.LINEAR));
    }
    if (o.has("aggregate")) {
      Json.JObject m = o.object("aggregate");
      unknown(m, AGGREGATE_FIELDS, "aggregate.");
      return new Computation.HeAggregate(m.string("groupBy"), m.strings("groups"), m.has("sum") ? java.util.Optional.of(m.string("sum")) : java.util.Optional.empty());
    }
    if (o.has("model")) {
      Json.JObject m = o.object("model");
      unknown(m, MODEL_FIELDS, "model.");
      return new Computation.VerticalLogisticRegression(m.string("idColumn"), m.strings("features"), m.string("label"),
          (int) Math.clamp(m.number("epochs", 3), Integer.MIN_VALUE, Integer.MAX_VALUE),
          (int) Math.clamp(m.number("batchSize", 64), Integer.MIN_VALUE, Integer.MAX_VALUE),
          m.has("learningRate") ? m.decimal("learningRate") : new java.math.BigDecimal("0.5"), new OrgId(m.string("helper")));
    }
    Json.JObject t = o.object("train");
    unknown(t, TRAIN_FIELDS, "train.");
    if (!t.has("objective")) {
      throw new MalformedInputException("train.objective is missing: give " + Computation.ModelTraining.BINARY_LOGISTIC + " (a 0/1 label) or "
          + Computation.ModelTraining.SQUARED_ERROR + " (a numeric label)");
    }
    return new Computation.ModelTraining(t.string("featureSql"), t.string("label"), t.string("objective"),
        (int) Math.clamp(t.number("rounds", 10), Integer.MIN_VALUE, Integer.MAX_VALUE),
        (int) Math.clamp(t.number("maxDepth", 6), Integer.MIN_VALUE, Integer.MAX_VALUE),
        t.has("learningRate") ? t.decimal("learningRate") : new java.math.BigDecimal("0.3"),
        Computation.ModelTraining.Learner.parse(t.string("learner", "trees")));
  }

  private static java.math.BigDecimal decimal(Json.JObject o, String name, String otherwise) {
    return o.has(name) ? o.decimal(name) : new java.math.BigDecimal(otherwise);
  }

  private static void unknown(Json.JObject o, java.util.Set<String> known, String prefix) {
    for (String name : o.members().keySet()) {
      if (!known.contains(name)) {
        throw new MalformedInputException("field '" + prefix + name + "' is not part of a job file; its fields are "
            + String.join(", ", new java.util.TreeSet<>(known)));
      }
    }
  }

  /** The request this file describes, on this deployment: a dataset named without its version means its latest. */
  JobRequest toRequest(LocalDeployment d) {
    return toRequest(id -> DatasetCommand.resolve(d, id.toString()).version());
  }

  /**
   * The request this file describes, under a fresh job id; a dataset named without its version ({@code owner/name})
   * gets the version {@code unversioned} gives it (the latest one here, on a server, or a refusal).
   */
  public JobRequest toRequest(java.util.function.Function<io.covenant.core.id.DatasetId, DatasetVersion> unversioned) {
    var versions = datasets.stream()
        .map(text -> text.contains("@") ? DatasetVersion.parse(text) : unversioned.apply(io.covenant.core.id.DatasetId.parse(text)))
        .toList();
    return new JobRequest(JobId.random(), consumer, versions, engine, purpose, computation);
  }
}
