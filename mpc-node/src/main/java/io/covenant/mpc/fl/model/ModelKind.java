package io.covenant.mpc.fl.model;

import io.covenant.core.error.MalformedInputException;

/** Which model a federated job trains: the architecture every party agrees on before round one. */
public sealed interface ModelKind permits ModelKind.LogisticRegression, ModelKind.OneHiddenLayerMlp {

  /** The model over {@code features} input columns. */
  Model over(int features);

  /** Logistic regression: one weight per feature and a bias. */
  record LogisticRegression() implements ModelKind {
    @Override
    public Model over(int features) {
      return new LogisticRegressionModel(features);
    }

    @Override
    public String toString() {
      return "logistic regression";
    }
  }

  /** A multilayer perceptron with one tanh hidden layer of {@code hiddenUnits} units and a sigmoid output. */
  record OneHiddenLayerMlp(int hiddenUnits) implements ModelKind {
    public OneHiddenLayerMlp {
      if (hiddenUnits < 1 || hiddenUnits > 1_000_000) {
        throw new MalformedInputException("an MLP with " + hiddenUnits + " hidden units is not supported: use 1 to 1,000,000");
      }
    }

    @Override
    public Model over(int features) {
      return new OneHiddenLayerMlpModel(features, hiddenUnits);
    }

    @Override
    public String toString() {
      return "MLP (" + hiddenUnits + " hidden units)";
    }
  }
}
