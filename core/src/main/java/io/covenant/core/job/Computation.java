package io.covenant.core.job;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.List;

/** What a consumer asks to be computed. Only its hash goes on the ledger. */
public sealed interface Computation {

  /**
   * A SQL aggregate query over the job's datasets, each visible as a table named after the dataset.
   *
   * @param security on the multi-party engine, the adversary the computation is secure against; semi-honest (the
   *     default) is written nowhere, so a query's JSON and hash are those it had before the option existed
   */
  record SqlQuery(String sql, MpcSecurity security) implements Computation {
    public SqlQuery {
      if (sql == null || sql.isBlank()) throw new MalformedInputException("the SQL query is empty");
      if (security == null) security = MpcSecurity.SEMI_HONEST;
    }

    /** A query in the default, semi-honest mode. */
    public SqlQuery(String sql) {
      this(sql, MpcSecurity.SEMI_HONEST);
    }

    @Override
    public Json.JObject toJson() {
      if (security == MpcSecurity.MALICIOUS) return Json.obj("kind", "sql", "sql", sql, "security", security.wireName());
      return Json.obj("kind", "sql", "sql", sql);
    }
  }

  /**
   * A model trained inside the enclave on the rows {@code featureSql} returns (a SELECT over the job's datasets, joins
   * included): {@code label} is the column to predict, every other column a numeric feature. Only the trained model and
   * its training metrics leave the enclave, sealed to the consumer; no per-row prediction does. The learner is
   * gradient-boosted trees, or a linear model (with {@value #BINARY_LOGISTIC}, logistic regression; with
   * {@value #SQUARED_ERROR}, linear regression), both trained by XGBoost.
   *
   * @param objective {@value #BINARY_LOGISTIC} (a 0/1 label) or {@value #SQUARED_ERROR} (a numeric label)
   * @param rounds boosting rounds (trees), or for a linear model passes of coordinate descent, 1 to {@value #MAX_ROUNDS}
   * @param maxDepth depth of each tree, 1 to {@value #MAX_DEPTH} (1 for a linear model, which has no trees)
   * @param learningRate shrinkage of each round's step (XGBoost's {@code eta}), above 0 and at most 1
   * @param learner {@link Learner#TREES} or {@link Learner#LINEAR}
   */
  record ModelTraining(String featureSql, String label, String objective, int rounds, int maxDepth, BigDecimal learningRate, Learner learner)
      implements Computation {
    public static final String BINARY_LOGISTIC = "binary:logistic", SQUARED_ERROR = "reg:squarederror";
    public static final int MAX_ROUNDS = 1000, MAX_DEPTH = 10;

    /** What kind of model is trained: XGBoost's {@code gbtree} or {@code gblinear} booster. */
    public enum Learner {
      TREES("gbtree"), LINEAR("gblinear");

      private final String booster;

      Learner(String booster) {
        this.booster = booster;
      }

      /** XGBoost's name for it. */
      public String booster() {
        return booster;
      }

      public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }

      public static Learner parse(String text) {
        for (Learner l : values()) if (l.wireName().equals(text)) return l;
        throw new MalformedInputException("learner '" + text + "' is not known: use trees (gradient-boosted trees) or linear (logistic or linear regression)");
      }
    }

    /** Gradient-boosted trees. */
    public ModelTraining(String featureSql, String label, String objective, int rounds, int maxDepth, BigDecimal learningRate) {
      this(featureSql, label, objective, rounds, maxDepth, learningRate, Learner.TREES);
    }

    public ModelTraining {
      if (learner == null) throw new MalformedInputException("the training names no learner: use trees or linear");
      if (learner == Learner.LINEAR) maxDepth = 1;
      if (featureSql == null || featureSql.isBlank()) throw new MalformedInputException("the training's feature query is empty: give the SELECT whose rows train the model");
      if (label == null || label.isBlank()) throw new MalformedInputException("the training names no label column: give the column the model should predict");
      if (!BINARY_LOGISTIC.equals(objective) && !SQUARED_ERROR.equals(objective)) {
        throw new MalformedInputException("training objective '" + objective + "' is not known: use " + BINARY_LOGISTIC + " or " + SQUARED_ERROR);
      }
      if (rounds < 1 || rounds > MAX_ROUNDS) throw new MalformedInputException("training rounds must be 1 to " + MAX_ROUNDS + ", got " + rounds);
      if (maxDepth < 1 || maxDepth > MAX_DEPTH) throw new MalformedInputException("tree depth must be 1 to " + MAX_DEPTH + ", got " + maxDepth);
      if (learningRate == null || learningRate.signum() <= 0 || learningRate.compareTo(BigDecimal.ONE) > 0) {
        throw new MalformedInputException("the learning rate must be above 0 and at most 1, got " + learningRate);
      }
      learningRate = learningRate.stripTrailingZeros();
    }

    @Override
    public Json.JObject toJson() {
      if (learner == Learner.LINEAR) {
        return Json.obj("kind", "linear-model", "featureSql", featureSql, "label", label, "objective", objective, "rounds", (long) rounds,
            "learningRate", learningRate);
      }
      return Json.obj("kind", "gradient-boosted-trees", "featureSql", featureSql, "label", label, "objective", objective,
          "rounds", (long) rounds, "maxDepth", (long) maxDepth, "learningRate", learningRate);
    }
  }

  /**
   * Vertical logistic regression on the multi-party engine: the job's first dataset holds the features, its second the
   * 0/1 label, each keyed by the same pseudonymous {@code idColumn}. The two owners' nodes intersect their ids by PSI,
   * then train with {@code helper}'s node as the third party of the committee; only the model leaves, sealed to the
   * consumer. Features should be scaled to about [-10, 10]: the engine computes in 16-bit fixed point.
   *
   * @param features feature columns of the first dataset, 1 to {@value #MAX_FEATURES}
   * @param epochs passes over the intersected rows, 1 to {@value #MAX_EPOCHS}
   * @param batchSize rows per SGD step, 1 to 4096
   * @param learningRate SGD step size, above 0 and at most 10
   * @param helper the organisation whose node completes the three-party committee (neither owner)
   */
  record VerticalLogisticRegression(String idColumn, List<String> features, String label, int epochs, int batchSize, BigDecimal learningRate,
      io.covenant.core.id.OrgId helper) implements Computation {
    public static final int MAX_FEATURES = 256, MAX_EPOCHS = 100;

    public VerticalLogisticRegression {
      if (idColumn == null || idColumn.isBlank()) throw new MalformedInputException("the model names no id column: give the pseudonymous id both datasets share");
      if (features == null || features.isEmpty() || features.size() > MAX_FEATURES) {
        throw new MalformedInputException("the model needs 1 to " + MAX_FEATURES + " feature columns, got " + (features == null ? 0 : features.size()));
      }
      features = List.copyOf(features);
      if (label == null || label.isBlank()) throw new MalformedInputException("the model names no label column: give the 0/1 column to predict");
      if (epochs < 1 || epochs > MAX_EPOCHS) throw new MalformedInputException("epochs must be 1 to " + MAX_EPOCHS + ", got " + epochs);
      if (batchSize < 1 || batchSize > 4096) throw new MalformedInputException("the batch size must be 1 to 4096, got " + batchSize);
      if (learningRate == null || learningRate.signum() <= 0 || learningRate.compareTo(BigDecimal.TEN) > 0) {
        throw new MalformedInputException("the learning rate must be above 0 and at most 10, got " + learningRate);
      }
      learningRate = learningRate.stripTrailingZeros();
      if (helper == null) throw new MalformedInputException("the model names no helper: give the organisation whose node is the committee's third party");
    }

    @Override
    public Json.JObject toJson() {
      return Json.obj("kind", "vertical-logistic-regression", "idColumn", idColumn, "features", features, "label", label, "epochs", (long) epochs,
          "batchSize", (long) batchSize, "learningRate", learningRate, "helper", helper.value());
    }
  }

  /**
   * A private set intersection on the multi-party engine: the job's two datasets, of two owners, are matched on
   * {@code idColumn} (a pseudonymous id both hold) by the owners' nodes, with KKRT16 (Kolesnikov et al., CCS 2016), and
   * each organisation that {@code learners} names learns which of its own ids the other dataset holds; the coordinator
   * learns nothing but sealed bytes. The consumer owns one of the two datasets: its node is the PSI's receiver, and the
   * result sealed to it lists its matched ids.
   *
   * @param learners {@link Learners#CONSUMER}: only the consumer learns the matches (the other owner learns the two set
   *     sizes only); {@link Learners#BOTH}: the other owner's node also keeps its matched ids, in its own data folder
   * @param protocol {@value #KKRT16} (the default: OT-extension PSI, fastest) or {@value #ECDH_P256} (Diffie-Hellman PSI
   *     over P-256 with RFC 9380 hashing: fewest bytes, about 200 times slower per id)
   */
  record PrivateSetIntersection(String idColumn, Learners learners, String protocol) implements Computation {
    public static final String KKRT16 = "kkrt16", ECDH_P256 = "ecdh-p256";

    /** An intersection by KKRT16. */
    public PrivateSetIntersection(String idColumn, Learners learners) {
      this(idColumn, learners, KKRT16);
    }

    /** Who learns which ids matched. */
    public enum Learners {
      CONSUMER, BOTH;

      public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }

      public static Learners parse(String text) {
        for (Learners l : values()) if (l.wireName().equals(text)) return l;
        throw new MalformedInputException("learners '" + text + "' is not known: use consumer (only the consumer learns the matches) or both");
      }
    }

    public PrivateSetIntersection {
      if (idColumn == null || idColumn.isBlank()) throw new MalformedInputException("the intersection names no id column: give the pseudonymous id both datasets share");
      if (learners == null) throw new MalformedInputException("the intersection names no learners: use consumer or both");
      if (protocol == null) protocol = KKRT16;
      if (!KKRT16.equals(protocol) && !ECDH_P256.equals(protocol)) {
        throw new MalformedInputException("PSI protocol '" + protocol + "' is not known: use " + KKRT16 + " or " + ECDH_P256);
      }
    }

    @Override
    public Json.JObject toJson() {
      // The protocol is written only when it is not the default, so a KKRT16 intersection keeps one canonical form.
      return KKRT16.equals(protocol) ? Json.obj("kind", "private-set-intersection", "idColumn", idColumn, "learners", learners.wireName())
          : Json.obj("kind", "private-set-intersection", "idColumn", idColumn, "learners", learners.wireName(), "protocol", protocol);
    }
  }

  /**
   * Horizontal federated training ({@code engine=fl}): every input's owner trains the same model on its own rows in its
   * own node, from the global model the aggregator sends each round, and sends only its update, masked by secure
   * aggregation (Bonawitz et al., CCS 2017); the aggregator (the coordinator) learns the sum of the updates and moves the
   * global model by their mean (FedAvg; FedProx when {@code proximalMu} is above 0). With a noise multiplier above 0
   * the training is DP-FedAvg: each update is clipped to {@code clippingNorm} and the sum carries Gaussian noise of
   * standard deviation noiseMultiplier x clippingNorm; each owner's node accounts the epsilon it spends (at {@code delta})
   * and stops contributing when the next round would exceed what its policy allows the job. Only the final model leaves,
   * sealed to the consumer.
   *
   * @param model {@value #LOGISTIC_REGRESSION} or {@value #MLP} (one tanh hidden layer of {@code hiddenUnits} units)
   * @param hiddenUnits the MLP's hidden units, 1 to 4096; 0 for logistic regression
   * @param features numeric feature columns every input shares, 1 to {@value #MAX_FEATURES}
   * @param label the 0/1 column to predict
   * @param rounds federated rounds, 1 to {@value #MAX_ROUNDS}
   * @param localEpochs passes over its own rows each owner makes per round, 1 to 100
   * @param batchSize rows per local SGD step, 1 to 4096
   * @param learningRate local SGD step size, above 0 and at most 10
   * @param proximalMu FedProx's mu, 0 (FedAvg) to 1000
   * @param clippingNorm the L2 norm each update is clipped to; 0 only without noise
   * @param noiseMultiplier sigma of DP-FedAvg, 0 (no DP) to 100
   * @param delta the delta of the (epsilon, delta) guarantee, strictly between 0 and 0.01
   * @param dropoutTolerance the fraction of owners (0 to below 0.5) that may drop out of a round while it still completes
   */
  record FederatedTraining(String model, int hiddenUnits, List<String> features, String label, int rounds, int localEpochs, int batchSize,
      BigDecimal learningRate, BigDecimal proximalMu, BigDecimal clippingNorm, BigDecimal noiseMultiplier, BigDecimal delta, BigDecimal dropoutTolerance)
      implements Computation {
    public static final String LOGISTIC_REGRESSION = "logistic-regression", MLP = "mlp";
    public static final int MAX_FEATURES = 1024, MAX_ROUNDS = 1000;

    public FederatedTraining {
      if (!LOGISTIC_REGRESSION.equals(model) && !MLP.equals(model)) {
        throw new MalformedInputException("federated model '" + model + "' is not known: use " + LOGISTIC_REGRESSION + " or " + MLP);
      }
      if (MLP.equals(model) ? hiddenUnits < 1 || hiddenUnits > 4096 : hiddenUnits != 0) {
        throw new MalformedInputException(MLP.equals(model) ? "an MLP needs 1 to 4096 hidden units, got " + hiddenUnits
            : "logistic regression has no hidden units: leave hiddenUnits at 0, got " + hiddenUnits);
      }
      if (features == null || features.isEmpty() || features.size() > MAX_FEATURES) {
        throw new MalformedInputException("federated training needs 1 to " + MAX_FEATURES + " feature columns, got " + (features == null ? 0 : features.size()));
      }
      features = List.copyOf(features);
      if (new java.util.HashSet<>(features).size() != features.size()) throw new MalformedInputException("a feature column is listed twice in " + features);
      if (label == null || label.isBlank()) throw new MalformedInputException("federated training names no label column: give the 0/1 column to predict");
      if (features.contains(label)) throw new MalformedInputException("the label " + label + " is also listed as a feature; a model must not see what it predicts");
      if (rounds < 1 || rounds > MAX_ROUNDS) throw new MalformedInputException("federated rounds must be 1 to " + MAX_ROUNDS + ", got " + rounds);
      if (localEpochs < 1 || localEpochs > 100) throw new MalformedInputException("local epochs must be 1 to 100, got " + localEpochs);
      if (batchSize < 1 || batchSize > 4096) throw new MalformedInputException("the batch size must be 1 to 4096, got " + batchSize);
      learningRate = within("the learning rate", learningRate, BigDecimal.ZERO, false, BigDecimal.TEN);
      proximalMu = within("FedProx's mu", proximalMu, BigDecimal.ZERO, true, BigDecimal.valueOf(1000));
      clippingNorm = within("the clipping norm", clippingNorm, BigDecimal.ZERO, true, BigDecimal.valueOf(1_000_000));
      noiseMultiplier = within("the noise multiplier", noiseMultiplier, BigDecimal.ZERO, true, BigDecimal.valueOf(100));
      delta = within("delta", delta, BigDecimal.ZERO, false, new BigDecimal("0.01"));
      dropoutTolerance = within("the dropout tolerance", dropoutTolerance, BigDecimal.ZERO, true, new BigDecimal("0.49"));
      if (noiseMultiplier.signum() > 0 && clippingNorm.signum() == 0) {
        throw new MalformedInputException("noise without clipping bounds nothing: set a clipping norm (e.g. 1) when the noise multiplier is "
            + noiseMultiplier.toPlainString());
      }
    }

    private static BigDecimal within(String what, BigDecimal v, BigDecimal low, boolean lowIncluded, BigDecimal high) {
      if (v == null || (lowIncluded ? v.compareTo(low) < 0 : v.compareTo(low) <= 0) || v.compareTo(high) > 0) {
        throw new MalformedInputException(what + " must be " + (lowIncluded ? "from " : "above ") + low.toPlainString() + (lowIncluded ? " to " : " and at most ")
            + high.toPlainString() + ", got " + (v == null ? "nothing" : v.toPlainString()));
      }
      return v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
    }

    /** Whether the training is differentially private (DP-FedAvg): a noise multiplier above 0. */
    public boolean differentiallyPrivate() {
      return noiseMultiplier.signum() > 0;
    }

    @Override
    public Json.JObject toJson() {
      return Json.obj("kind", "federated-training", "model", model, "hiddenUnits", (long) hiddenUnits, "features", features, "label", label,
          "rounds", (long) rounds, "localEpochs", (long) localEpochs, "batchSize", (long) batchSize, "learningRate", learningRate,
          "proximalMu", proximalMu, "clippingNorm", clippingNorm, "noiseMultiplier", noiseMultiplier, "delta", delta, "dropoutTolerance", dropoutTolerance);
    }
  }

  /**
   * Private scoring on the homomorphic-encryption engine: the consumer's node encrypts its model (named {@code model},
   * held at that node and never sent in the clear) under a key it generates for the job, the data owner's node
   * evaluates it on the {@code features} columns of its dataset under encryption, and only the consumer's node decrypts
   * the scores, one per row the owner scored, in the owner's row order.
   *
   * @param model the consumer's name for the model at its node, e.g. {@code pricing-2026}
   * @param features the owner's numeric columns, in the order of the model's weights, 1 to {@value #MAX_FEATURES}
   * @param link {@value #LINEAR} (score = w·x + b) or {@value #LOGISTIC} (a cubic approximation of the logistic function of it)
   */
  record HeScore(String model, List<String> features, String link) implements Computation {
    public static final String LINEAR = "linear", LOGISTIC = "logistic";
    public static final int MAX_FEATURES = 256;

    public HeScore {
      if (model == null || !model.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
        throw new MalformedInputException("the score names no valid model: give the name of the model at the consumer's node (lower-case letters, digits, '.', '_', '-')");
      }
      if (features == null || features.isEmpty() || features.size() > MAX_FEATURES) {
        throw new MalformedInputException("the score needs 1 to " + MAX_FEATURES + " feature columns, got " + (features == null ? 0 : features.size()));
      }
      features = List.copyOf(features);
      if (!LINEAR.equals(link) && !LOGISTIC.equals(link)) throw new MalformedInputException("the score's link '" + link + "' is not known: use linear or logistic");
    }

    @Override
    public Json.JObject toJson() {
      return Json.obj("kind", "he-score", "model", model, "features", features, "link", link);
    }
  }

  /**
   * Encrypted aggregation on the homomorphic-encryption engine: each owner's node counts its rows per value of
   * {@code groupBy} (one slot per value listed in {@code groups}, in that order; other values are not counted) and, when
   * {@code sum} names a column, also sums that column per group; it encrypts the vector [counts..., sums...] under the
   * consumer's key. The coordinator adds the owners' ciphertexts (it holds no secret key); only the consumer decrypts
   * the total.
   *
   * @param groupBy the column whose values form the groups
   * @param groups the group values, 1 to {@value #MAX_GROUPS}, public (they fix the vector's layout)
   * @param sum a numeric column to sum per group, or empty for counts only
   */
  record HeAggregate(String groupBy, List<String> groups, java.util.Optional<String> sum) implements Computation {
    public static final int MAX_GROUPS = 2048;

    public HeAggregate {
      if (groupBy == null || groupBy.isBlank()) throw new MalformedInputException("the aggregate names no group column: give the column whose values form the groups");
      if (groups == null || groups.isEmpty() || groups.size() > MAX_GROUPS) {
        throw new MalformedInputException("the aggregate lists 1 to " + MAX_GROUPS + " group values, got " + (groups == null ? 0 : groups.size()));
      }
      groups = List.copyOf(groups);
      if (new java.util.HashSet<>(groups).size() != groups.size()) throw new MalformedInputException("the aggregate lists a group value twice: " + groups);
      sum = sum == null ? java.util.Optional.empty() : sum.filter(s -> !s.isBlank());
    }

    /** Values in the aggregated vector: a count per group, and a sum per group when a column is summed. */
    public int length() {
      return groups.size() * (sum.isPresent() ? 2 : 1);
    }

    @Override
    public Json.JObject toJson() {
      return sum.isPresent() ? Json.obj("kind", "he-aggregate", "groupBy", groupBy, "groups", groups, "sum", sum.get())
          : Json.obj("kind", "he-aggregate", "groupBy", groupBy, "groups", groups);
    }
  }

  Json.JObject toJson();

  /**
   * The consortium's hash ({@link CryptoSuite#hash}: SHA-256 or SM3) of the canonical JSON: the computation's identifier
   * that JOB_SUBMITTED records, the consumer signs and every engine checks before it opens a result.
   */
  default Digest hash(CryptoSuite suite) {
    return suite.hash(toJson().canonicalBytes());
  }

  static Computation fromJson(Json.JObject o) {
    return switch (o.string("kind")) {
      case "sql" -> new SqlQuery(o.string("sql"), o.has("security") ? MpcSecurity.parse(o.string("security")) : MpcSecurity.SEMI_HONEST);
      case "gradient-boosted-trees" -> new ModelTraining(o.string("featureSql"), o.string("label"), o.string("objective"),
          (int) Math.clamp(o.number("rounds"), Integer.MIN_VALUE, Integer.MAX_VALUE), (int) Math.clamp(o.number("maxDepth"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          o.decimal("learningRate"));
      case "linear-model" -> new ModelTraining(o.string("featureSql"), o.string("label"), o.string("objective"),
          (int) Math.clamp(o.number("rounds"), Integer.MIN_VALUE, Integer.MAX_VALUE), 1, o.decimal("learningRate"), ModelTraining.Learner.LINEAR);
      case "vertical-logistic-regression" -> new VerticalLogisticRegression(o.string("idColumn"), o.strings("features"), o.string("label"),
          (int) Math.clamp(o.number("epochs"), Integer.MIN_VALUE, Integer.MAX_VALUE), (int) Math.clamp(o.number("batchSize"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          o.decimal("learningRate"), new io.covenant.core.id.OrgId(o.string("helper")));
      case "private-set-intersection" -> new PrivateSetIntersection(o.string("idColumn"), PrivateSetIntersection.Learners.parse(o.string("learners")),
          o.string("protocol", PrivateSetIntersection.KKRT16));
      case "federated-training" -> new FederatedTraining(o.string("model"), (int) Math.clamp(o.number("hiddenUnits"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          o.strings("features"), o.string("label"), (int) Math.clamp(o.number("rounds"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          (int) Math.clamp(o.number("localEpochs"), Integer.MIN_VALUE, Integer.MAX_VALUE), (int) Math.clamp(o.number("batchSize"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          o.decimal("learningRate"), o.decimal("proximalMu"), o.decimal("clippingNorm"), o.decimal("noiseMultiplier"), o.decimal("delta"),
          o.decimal("dropoutTolerance"));
      case "he-score" -> new HeScore(o.string("model"), o.strings("features"), o.string("link", HeScore.LINEAR));
      case "he-aggregate" -> new HeAggregate(o.string("groupBy"), o.strings("groups"),
          o.has("sum") ? java.util.Optional.of(o.string("sum")) : java.util.Optional.empty());
      default -> throw new MalformedInputException("computation kind '" + o.string("kind") + "' is not known: use sql, gradient-boosted-trees, "
          + "linear-model, vertical-logistic-regression, private-set-intersection, federated-training, he-score or he-aggregate");
    };
  }
}
