package io.covenant.mpc.model;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.protocol.MatrixMultiplication;
import io.covenant.mpc.protocol.PiecewiseSigmoid;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.Arrays;
import java.util.Optional;

/**
 * Vertically partitioned logistic regression, one party's program: one organisation holds the feature columns,
 * another the label column of the same rows (already aligned, e.g. by PSI or a shared key), and a consumer receives
 * the trained model. Nobody else learns the features, the labels, the model or any intermediate value; every party
 * learns the public shape (rows, features) and the schedule.
 *
 * <p>The training is SecureML's mini-batch SGD for logistic regression (Mohassel and Zhang, IEEE S&amp;P 2017, §4.1
 * and §4.2) on replicated shares as in ABY3 (Mohassel and Rindal, CCS 2018, §5.1 and §5.3): per batch of m rows,
 * z = X_B·w ({@link MatrixMultiplication}, one round, then a truncation), p = f(z) with the piecewise sigmoid
 * ({@link PiecewiseSigmoid}), e = (p − y_B)·(η/m) (one truncation), w ← w − X_Bᵀ·e (one round, one truncation).
 * Scaling the error by η/m before the transposed product keeps that product small, so its truncation practically
 * never fails (see {@code ShareTruncation}). The weights start at zero; the model is opened toward the consumer only.
 *
 * <p>Cost per batch: 16 rounds; per party about 27·m + 3·(d + 1) words (the sigmoid's comparisons dominate).
 */
public final class VerticalLogisticRegression {
  private VerticalLogisticRegression() {}

  /** Who holds what. The features and the labels must be at different parties; the consumer may be any party. */
  public record Roles(Party featureOwner, Party labelOwner, Party consumer) {
    public Roles {
      if (featureOwner.equals(labelOwner)) {
        throw new MalformedInputException(featureOwner + " holds both the features and the labels: that is not a vertical "
            + "partition, and it can train the model on its own without MPC");
      }
    }
  }

  /**
   * Run by each of the three parties with the same roles, shape and schedule. The feature owner passes its rows (rows ×
   * features), the label owner its 0/1 labels; others pass null. The consumer gets the model; the others get empty.
   */
  public static Optional<LogisticModel> train(PartySession session, Roles roles, int rows, int features, double[][] ownFeatures,
      double[] ownLabels, SgdSchedule schedule) {
    ShareVector w = trainShared(session, roles, rows, features, ownFeatures, ownLabels, schedule);
    return session.revealFixedPointTo(w, roles.consumer()).map(v -> new LogisticModel(Arrays.copyOf(v, features), v[features]));
  }

  /**
   * As {@link #train}, but opens nothing: returns this party's shares of the weights (the features' in order, then the
   * intercept), for a consumer outside the committee to whom each party seals its shares. {@code roles.consumer()} is
   * not used.
   */
  public static ShareVector trainShared(PartySession session, Roles roles, int rows, int features, double[][] ownFeatures,
      double[] ownLabels, SgdSchedule schedule) {
    if (rows < 1 || features < 1) {
      throw new MalformedInputException("training needs at least one row and one feature, not " + rows + " × " + features);
    }
    checkStep(session.fixedPoint(), schedule, rows);
    Party self = session.self();
    FixedPoint fp = session.fixedPoint();
    long[] flatFeatures = null;
    if (self.equals(roles.featureOwner())) flatFeatures = fp.encode(flatten(ownFeatures, rows, features));
    double[] labels = null;
    if (self.equals(roles.labelOwner())) {
      labels = requireLabels(ownLabels, rows);
    }
    ShareVector x = session.input(roles.featureOwner(), flatFeatures);
    ShareVector y = session.inputFixedPoint(roles.labelOwner(), labels);
    return train(session, roles, rows, features, x, y, schedule);
  }

  /**
   * As {@link #trainShared}, with the aligned rows entering as the PSI payload mode's output ({@code io.covenant.mpc.psi
   * .AlignedShares}): the feature owner and the label owner each hold an additive share over Z_2^64 of every aligned
   * feature value and label, in this session's fixed point, and neither knows the other's values. Each inputs its
   * shares, and the two replicated sharings are added (SecureML's two-party shares lifted into the three-party
   * committee; Mohassel and Zhang, IEEE S&amp;P 2017, §2.2, and Araki et al., CCS 2016): the committee trains on the
   * sum. The helper passes null for both.
   *
   * @param featureShares at the two owners: their shares of the features, row-major (rows × features)
   * @param labelShares at the two owners: their shares of the labels
   */
  public static ShareVector trainSharedOnPayload(PartySession session, Roles roles, int rows, int features, long[] featureShares,
      long[] labelShares, SgdSchedule schedule) {
    if (rows < 1 || features < 1) {
      throw new MalformedInputException("training needs at least one row and one feature, not " + rows + " × " + features);
    }
    checkStep(session.fixedPoint(), schedule, rows);
    Party self = session.self();
    boolean holder = self.equals(roles.featureOwner()) || self.equals(roles.labelOwner());
    if (holder && (featureShares == null || featureShares.length != (long) rows * features || labelShares == null || labelShares.length != rows)) {
      throw new MalformedInputException(session.committee().describe(self) + " holds " + (featureShares == null ? 0 : featureShares.length)
          + " feature shares and " + (labelShares == null ? 0 : labelShares.length) + " label shares for " + rows + " rows × " + features + " features");
    }
    ShareVector x = session.add(session.input(roles.featureOwner(), featureShares), session.input(roles.labelOwner(), featureShares));
    ShareVector y = session.add(session.input(roles.featureOwner(), labelShares), session.input(roles.labelOwner(), labelShares));
    return train(session, roles, rows, features, x, y, schedule);
  }

  private static void checkStep(FixedPoint fp, SgdSchedule schedule, int rows) {
    double step = schedule.learningRate() / Math.min(schedule.batchSize(), rows);
    if (step < Math.scalb(1.0, 6 - fp.fractionalBits())) {
      throw new MalformedInputException("a learning rate of " + schedule.learningRate() + " over batches of " + schedule.batchSize()
          + " rows is below what " + fp.fractionalBits() + " fractional bits resolve with 6 bits to spare: raise the learning rate or "
          + "use smaller batches");
    }
  }

  /** Mini-batch gradient descent on the shared design matrix {@code x} (rows × features) and labels {@code y}. */
  private static ShareVector train(PartySession session, Roles roles, int rows, int features, ShareVector x, ShareVector y, SgdSchedule schedule) {
    FixedPoint fp = session.fixedPoint();
    Party self = session.self();
    if (x.length() != (long) rows * features || y.length() != rows) {
      throw new MalformedInputException(session.committee().describe(roles.featureOwner()) + " shared " + x.length() + " feature values and "
          + session.committee().describe(roles.labelOwner()) + " shared " + y.length() + " labels, but the job says " + rows + " rows × "
          + features + " features: the owners must share the aligned rows the job names");
    }
    int width = features + 1;
    ShareVector design = withInterceptColumn(x, rows, features, fp.encode(1.0));
    long[] zeros = new long[width];
    ShareVector w = ShareVector.of(self, zeros, zeros);
    int f = fp.fractionalBits();
    for (int epoch = 0; epoch < schedule.epochs(); epoch++) {
      for (int start = 0; start < rows; start += schedule.batchSize()) {
        int end = Math.min(rows, start + schedule.batchSize());
        int m = end - start;
        ShareVector xb = design.slice(start * width, end * width);
        ShareVector yb = y.slice(start, end);
        ShareVector z = session.truncate(MatrixMultiplication.multiply(xb, m, width, w, 1, session), f);
        ShareVector error = ReplicatedSharing.subtract(PiecewiseSigmoid.sigmoid(z, session), yb);
        ShareVector scaledError = session.multiplyPublicFixedPoint(error, schedule.learningRate() / m);
        ShareVector gradient = session.truncate(MatrixMultiplication.multiplyTransposed(xb, m, width, scaledError, 1, session), f);
        w = ReplicatedSharing.subtract(w, gradient);
      }
    }
    return w;
  }

  private static double[] flatten(double[][] rowsOfFeatures, int rows, int features) {
    if (rowsOfFeatures == null || rowsOfFeatures.length != rows) {
      throw new MalformedInputException("the feature owner supplied " + (rowsOfFeatures == null ? "no" : rowsOfFeatures.length)
          + " rows where the job names " + rows);
    }
    double[] flat = new double[rows * features];
    for (int i = 0; i < rows; i++) {
      if (rowsOfFeatures[i].length != features) {
        throw new MalformedInputException("row " + i + " has " + rowsOfFeatures[i].length + " features where the job names " + features);
      }
      System.arraycopy(rowsOfFeatures[i], 0, flat, i * features, features);
    }
    return flat;
  }

  private static double[] requireLabels(double[] labels, int rows) {
    if (labels == null || labels.length != rows) {
      throw new MalformedInputException("the label owner supplied " + (labels == null ? "no" : labels.length) + " labels where the job names "
          + rows + " rows");
    }
    for (int i = 0; i < rows; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new MalformedInputException("label " + i + " is neither 0 nor 1: logistic regression needs a binary label column");
      }
    }
    return labels;
  }

  /** The shared rows × features matrix with a public column of ones appended (the intercept); local. */
  private static ShareVector withInterceptColumn(ShareVector x, int rows, int features, long one) {
    long[] f = x.firstShare();
    long[] s = x.secondShare();
    int width = features + 1;
    long[] f1 = new long[rows * width];
    long[] s1 = new long[rows * width];
    int slot = x.holder().index();
    for (int i = 0; i < rows; i++) {
      System.arraycopy(f, i * features, f1, i * width, features);
      System.arraycopy(s, i * features, s1, i * width, features);
      // A public value sits in share slot 0: party 0's first share and party 2's second.
      if (slot == 0) f1[i * width + features] = one;
      if (slot == 2) s1[i * width + features] = one;
    }
    return ShareVector.of(x.holder(), f1, s1);
  }
}
