package io.covenant.node.hejob;

import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.node.keystore.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A consumer's scoring models at its own node ({@code he-models/<name>.json} in the organisation's folder, readable by
 * the node's user only): the weights never leave this process in the clear, only encrypted under a job's key.
 * File format: {@code {"weights": [w1, ...], "bias": b, "featureScale": s}}; the link (linear or logistic) is the job's
 * choice. {@code featureScale} (default 1) is the largest |feature| the consumer expects in the owner's rows: its probe
 * rows are drawn up to that size, so the precision it measures is the precision at the rows' own magnitude (CKKS
 * errors grow with it).
 */
public final class HeConsumerModels {
  private final Path dir;

  public HeConsumerModels(Path dir) {
    this.dir = dir;
  }

  /** Stores {@code weights} and {@code bias} as model {@code name}, replacing an earlier one of that name. */
  /** A stored model and the feature magnitude its probes are drawn at. */
  public record Stored(ScoringModel model, double featureScale) {}

  public Path save(String name, double[] weights, double bias) {
    return save(name, weights, bias, 1);
  }

  public Path save(String name, double[] weights, double bias, double featureScale) {
    if (!(featureScale > 0) || !Double.isFinite(featureScale)) throw new MalformedInputException("the feature scale is a positive number; got " + featureScale);
    checkName(name);
    ScoringModel.linear(weights, bias); // refuses empty or non-finite weights before anything is written
    Path file = dir.resolve(name + ".json");
    try {
      Files.createDirectories(dir);
      PrivateFiles.write(file, Json.obj("weights", java.util.Arrays.stream(weights).boxed().map(w -> (Object) java.math.BigDecimal.valueOf(w)).toList(),
          "bias", java.math.BigDecimal.valueOf(bias), "featureScale", java.math.BigDecimal.valueOf(featureScale)).encode().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
      double scale = o.has("featureScale") ? o.decimal("featureScale").doubleValue() : 1;
      return new Stored("logistic".equals(link) ? ScoringModel.logistic(w, bias) : ScoringModel.linear(w, bias), scale);
    } catch (IOException | ClassCastException e) {
      throw new CovenantException("cannot read model " + name + " at " + file + ": " + e.getMessage(), e);
    }
  }

  private static void checkName(String name) {
    if (name == null || !name.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
      throw new MalformedInputException("model name '" + name + "' is not valid: use lower-case letters, digits, '.', '_' or '-'");
    }
  }
}
