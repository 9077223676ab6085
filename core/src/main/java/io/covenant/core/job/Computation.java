package io.covenant.core.job;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.List;

/** What a consumer asks to be computed. Only its hash goes on the ledger. */
public sealed interface Computation {

  /** A SQL aggregate query over the job's datasets, each visible as a table named after the dataset. */
  record SqlQuery(String sql) implements Computation {
    public SqlQuery {
      if (sql == null || sql.isBlank()) throw new MalformedInputException("the SQL query is empty");
    }

    @Override
    public Json.JObject toJson() {
      return Json.obj("kind", "sql", "sql", sql);
    }
  }

  /**
   * Gradient-boosted trees trained inside the enclave on the rows {@code featureSql} returns (a SELECT over the job's
   * datasets, joins included): {@code label} is the column to predict, every other column a numeric feature. Only the
   * trained model and its training metrics leave the enclave, sealed to the consumer; no per-row prediction does.
   *
   * @param objective {@value #BINARY_LOGISTIC} (a 0/1 label) or {@value #SQUARED_ERROR} (a numeric label)
   * @param rounds boosting rounds (trees), 1 to {@value #MAX_ROUNDS}
   * @param maxDepth depth of each tree, 1 to {@value #MAX_DEPTH}
   * @param learningRate shrinkage of each tree's contribution (XGBoost's {@code eta}), above 0 and at most 1
   */
  record ModelTraining(String featureSql, String label, String objective, int rounds, int maxDepth, BigDecimal learningRate) implements Computation {
    public static final String BINARY_LOGISTIC = "binary:logistic", SQUARED_ERROR = "reg:squarederror";
    public static final int MAX_ROUNDS = 1000, MAX_DEPTH = 10;

    public ModelTraining {
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

  default Digest hash() {
    return Digest.sha256(toJson().canonicalBytes());
  }

  static Computation fromJson(Json.JObject o) {
    return switch (o.string("kind")) {
      case "sql" -> new SqlQuery(o.string("sql"));
      case "gradient-boosted-trees" -> new ModelTraining(o.string("featureSql"), o.string("label"), o.string("objective"),
          (int) Math.clamp(o.number("rounds"), Integer.MIN_VALUE, Integer.MAX_VALUE), (int) Math.clamp(o.number("maxDepth"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          o.decimal("learningRate"));
      case "vertical-logistic-regression" -> new VerticalLogisticRegression(o.string("idColumn"), o.strings("features"), o.string("label"),
          (int) Math.clamp(o.number("epochs"), Integer.MIN_VALUE, Integer.MAX_VALUE), (int) Math.clamp(o.number("batchSize"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          o.decimal("learningRate"), new io.covenant.core.id.OrgId(o.string("helper")));
      case "he-score" -> new HeScore(o.string("model"), o.strings("features"), o.string("link", HeScore.LINEAR));
      case "he-aggregate" -> new HeAggregate(o.string("groupBy"), o.strings("groups"),
          o.has("sum") ? java.util.Optional.of(o.string("sum")) : java.util.Optional.empty());
      default -> throw new MalformedInputException("computation kind '" + o.string("kind") + "' is not known: use sql, gradient-boosted-trees, "
          + "vertical-logistic-regression, he-score or he-aggregate");
    };
  }
}
