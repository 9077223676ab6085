package io.covenant.tee.training;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.JobId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * What a training job releases: the model (XGBoost's UBJSON model format) and its training metrics, nothing per row.
 * {@code modelHash} is the consortium's hash (SHA-256 or SM3) of the model bytes, so the consumer and the ledger can name
 * the exact model ({@link #of} makes it; {@link #open} checks it under the consumer's suite).
 *
 * @param metricName {@code logloss} for a binary objective, {@code rmse} for squared error
 * @param metric the metric over the training rows after the last round
 */
public record TrainedModel(byte[] model, Digest modelHash, String objective, List<String> features, String label, long rows,
    String metricName, double metric) {
  /** HPKE info of a sealed model (RFC 9180 {@code info}); the job id is the associated data. */
  public static final String SEALING_INFO = "covenant/trained-model/v1";

  public TrainedModel {
    if (model == null || model.length == 0) throw new MalformedInputException("a trained model has no bytes");
    model = model.clone();
    features = List.copyOf(features);
    if (modelHash == null) throw new MalformedInputException("a trained model needs its hash");
  }

  /** A model whose hash is {@code suite}'s hash of its bytes. */
  public static TrainedModel of(io.covenant.core.crypto.CryptoSuite suite, byte[] model, String objective, List<String> features, String label,
      long rows, String metricName, double metric) {
    return new TrainedModel(model, suite.hash(model), objective, features, label, rows, metricName, metric);
  }

  @Override
  public byte[] model() {
    return model.clone();
  }

  Json.JObject toJson() {
    return Json.obj("model", Base64.getEncoder().encodeToString(model), "modelHash", modelHash.hex(), "objective", objective,
        "features", features, "label", label, "rows", rows, "metricName", metricName, "metric", new BigDecimal(Double.toString(metric)));
  }

  /** Seals the model and its metrics to the consumer's key, bound to the job. */
  public byte[] seal(JobId job, HpkePublicKey consumer) {
    return HpkeKeyPair.seal(consumer, SEALING_INFO.getBytes(StandardCharsets.UTF_8), job.value().getBytes(StandardCharsets.UTF_8),
        toJson().canonicalBytes()).toBytes();
  }

  /** Opens a sealed model with the consumer's keys; fails if it was sealed to another key or for another job. */
  public static TrainedModel open(byte[] sealed, HpkeKeyPair consumer, JobId job) {
    byte[] plain = consumer.open(SealedMessage.fromBytes(sealed), SEALING_INFO.getBytes(StandardCharsets.UTF_8),
        job.value().getBytes(StandardCharsets.UTF_8));
    Json.JObject o = Json.parseObject(plain);
    byte[] model = Base64.getDecoder().decode(o.string("model"));
    Digest claimed = Digest.parse(o.string("modelHash"));
    if (!consumer.suite().hash(model).equals(claimed)) {
      throw new IntegrityException("the model hash is not the " + consumer.suite().hashAlgorithm() + " of the model bytes: the model was altered "
          + "or hashed under another suite than the consortium's (" + consumer.suite().id() + ")");
    }
    return new TrainedModel(model, claimed, o.string("objective"), o.strings("features"), o.string("label"),
        o.number("rows"), o.string("metricName"), o.decimal("metric").doubleValue());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainedModel t && Arrays.equals(model, t.model) && objective.equals(t.objective) && features.equals(t.features)
        && label.equals(t.label) && rows == t.rows && metricName.equals(t.metricName) && Double.compare(metric, t.metric) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(model), objective, features, label, rows, metricName, metric);
  }

  @Override
  public String toString() {
    return "TrainedModel[" + objective + ", " + rows + " rows, " + metricName + " " + metric + ", hash " + modelHash.shortForm() + "]";
  }
}
