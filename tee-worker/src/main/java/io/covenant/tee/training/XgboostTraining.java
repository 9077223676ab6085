package io.covenant.tee.training;

import io.covenant.core.job.Computation;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Gradient-boosted trees (Chen and Guestrin, "XGBoost: A Scalable Tree Boosting System", KDD 2016), or a linear model
 * (XGBoost's {@code gblinear} booster: logistic or linear regression with an L2 penalty, fitted by cyclic coordinate
 * descent), trained with XGBoost4J, XGBoost's own JVM binding (Apache-2.0; its jar carries the native library, which
 * the worker's image measurement covers). Training is deterministic for a given table and specification: one thread,
 * the histogram method with a fixed seed and no sampling for trees, the cyclic coordinate-descent updater for a linear
 * model, so the same rows give byte-identical model files inside and outside the enclave, which is how a consumer can
 * check a model.
 *
 * <p>No evaluation sets are passed to XGBoost, so it logs nothing per round; the training metric is computed here
 * from the model's predictions on the training rows, which never leave this method.
 */
public final class XgboostTraining {
  private XgboostTraining() {}

  /** Trains the model {@code spec} describes on {@code table}. */
  public static TrainedModel train(io.covenant.core.crypto.CryptoSuite suite, FeatureTable table, Computation.ModelTraining spec) {
    if (!table.label().equals(spec.label())) {
      throw new TrainingFailedException("the training table's label is '" + table.label() + "', not the specification's '" + spec.label() + "'");
    }
    DMatrix data = null;
    Booster booster = null;
    try {
      data = new DMatrix(table.values(), table.rows(), table.features().size(), Float.NaN);
      data.setLabel(table.labels());
      booster = XGBoost.train(data, parameters(spec), spec.rounds(), Map.of(), null, null);
      byte[] model = booster.toByteArray("ubj");
      float[][] predictions = booster.predict(data);
      boolean binary = spec.objective().equals(Computation.ModelTraining.BINARY_LOGISTIC);
      double metric = binary ? logLoss(predictions, table.labels()) : rmse(predictions, table.labels());
      return TrainedModel.of(suite, model, spec.objective(), table.features(), table.label(), table.rows(),
          binary ? "logloss" : "rmse", metric);
    } catch (XGBoostError e) {
      // XGBoost's messages describe parameters and shapes, not values; still, only its first line is kept.
      String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new TrainingFailedException("XGBoost could not train the model: " + m);
    } finally {
      if (booster != null) booster.dispose();
      if (data != null) data.dispose();
    }
  }

  static Map<String, Object> parameters(Computation.ModelTraining spec) {
    Map<String, Object> p = new HashMap<>();
    p.put("objective", spec.objective());
    p.put("booster", spec.learner().booster());
    p.put("eta", spec.learningRate().doubleValue());
    p.put("nthread", 1);
    p.put("seed", 0);
    p.put("verbosity", 0);
    if (spec.learner() == Computation.ModelTraining.Learner.LINEAR) {
      // Coordinate descent over the features in order: deterministic, unlike the parallel 'shotgun' updater.
      p.put("updater", "coord_descent");
      p.put("feature_selector", "cyclic");
      p.put("lambda", 1.0);
      p.put("alpha", 0.0);
    } else {
      p.put("max_depth", spec.maxDepth());
      p.put("tree_method", "hist");
      p.put("subsample", 1.0);
      p.put("colsample_bytree", 1.0);
    }
    return p;
  }

  private static double logLoss(float[][] p, float[] y) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double q = Math.min(Math.max(p[i][0], 1e-15), 1 - 1e-15);
      sum -= y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
    }
    return sum / y.length;
  }

  private static double rmse(float[][] p, float[] y) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      double d = p[i][0] - y[i];
      sum += d * d;
    }
    return Math.sqrt(sum / y.length);
  }
}
