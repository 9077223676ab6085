package io.covenant.node.hejob;

import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.FeatureRanges;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.node.keystore.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A consumer's scoring models at its own node ({@code he-models/<name>.json} in the organisation's folder, readable by
 * the node's user only): the weights never leave this process in the clear, only encrypted under a job's key.
 * File format: {@code {"weights": [w1, ...], "bias": b, "featureScales": [s1, ...]}}; the link (linear or logistic) is
 * the job's choice. {@code featureScales} (one per weight; default 1 each; a file with one {@code featureScale} applies
 * it to every feature) are the largest |x_j| the consumer expects in the owner's rows. They are public: the job's probe
 * rows are drawn uniformly in [-s_j, s_j] (FeatureRanges) and reach the owner in the clear, so that the precision
 * measured is the precision at the rows' own magnitude (CKKS errors grow with it); and they bound the model: its
 * |w·x + b| over them must stay within the range CKKS keeps exact ({@link FeatureRanges#requireFits}), checked when the
 * model is stored (linear limit) and again for each job (the job's link).
 */
public final class HeConsumerModels {
  private final Path dir;

  public HeConsumerModels(Path dir) {
    this.dir = dir;
  }

  /** A stored model and the public feature ranges its probes are drawn in. */
  public record Stored(ScoringModel model, FeatureRanges ranges) {}

  /** Stores {@code weights} and {@code bias} as model {@code name} for features of size about 1. */
  public Path save(String name, double[] weights, double bias) {
    double[] ones = new double[weights.length];
    java.util.Arrays.fill(ones, 1);
    return save(name, weights, bias, ones);
  }

  /**
   * Stores {@code weights} and {@code bias} as model {@code name}, replacing an earlier one of that name, with
   * {@code featureScales} (one per weight). Refuses, writing nothing, a model whose linear score can leave the CKKS range
   * over those scales.
   */
  public Path save(String name, double[] weights, double bias, double[] featureScales) {
    checkName(name);
    ScoringModel model = ScoringModel.linear(weights, bias); // refuses empty or non-finite weights before anything is written
    if (featureScales.length != weights.length) {
      throw new MalformedInputException("model " + name + " has " + weights.length + " weights but " + featureScales.length + " feature scales; give one scale per weight");
    }
    FeatureRanges.symmetric(featureScales).requireFits(model);
    Path file = dir.resolve(name + ".json");
    try {
      Files.createDirectories(dir);
      PrivateFiles.write(file, Json.obj("weights", decimals(weights), "bias", java.math.BigDecimal.valueOf(bias), "featureScales", decimals(featureScales)).encode()
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return file;
    } catch (IOException e) {
      throw new CovenantException("cannot store model " + name + " at " + file + ": " + e.getMessage(), e);
    }
  }

  /** The model {@code name} with {@code link}: linear or logistic. */
  public Stored load(String name, String link) {
    checkName(name);
    Path file = dir.resolve(name + ".json");
    if (!Files.isRegularFile(file)) {
      throw new MalformedInputException("this node holds no model named " + name + "; import it first with the desk's he-model action ('./covenant node' folder he-models/)");
    }
    try {
      Json.JObject o = Json.parseObject(Files.readString(file));
      double[] w = o.array("weights").stream().mapToDouble(j -> ((Json.JNumber) j).value().doubleValue()).toArray();
      double bias = o.decimal("bias").doubleValue();
      double[] scales = new double[w.length];
      if (o.has("featureScales")) {
        scales = o.array("featureScales").stream().mapToDouble(j -> ((Json.JNumber) j).value().doubleValue()).toArray();
        if (scales.length != w.length) {
          throw new MalformedInputException("model " + name + " at " + file + " has " + w.length + " weights but " + scales.length + " feature scales; store it again with one per weight");
        }
      } else {
        java.util.Arrays.fill(scales, o.has("featureScale") ? o.decimal("featureScale").doubleValue() : 1);
      }
      return new Stored("logistic".equals(link) ? ScoringModel.logistic(w, bias) : ScoringModel.linear(w, bias), FeatureRanges.symmetric(scales));
    } catch (IOException | ClassCastException e) {
      throw new CovenantException("cannot read model " + name + " at " + file + ": " + e.getMessage(), e);
    }
  }

  private static java.util.List<Object> decimals(double[] values) {
    return java.util.Arrays.stream(values).boxed().map(v -> (Object) java.math.BigDecimal.valueOf(v)).toList();
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new MalformedInputException("model name '" + name + "' is not valid: use lower-case letters, digits, '.', '_' or '-'");
    }
  }
}
