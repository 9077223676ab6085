package io.covenant.mpc.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.engine.ThreePartyRuntime;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.Party;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Vertical logistic regression in MPC (hospital features at party 0, insurer labels at party 1, model to party 2)
 * reaches the accuracy of the same SGD run in doubles on the pooled plaintext, within one percentage point on held-out
 * rows, and only the consumer receives the model.
 */
class SecureTrainingMatchesPlaintextAccuracy {
  private static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("analyst-c"));

  @Test
  void secureModelIsWithinOnePointOfThePlaintextModelAndReachesOnlyTheConsumer() {
    int features = 6;
    // One draw split in two, so that training and held-out rows follow the same true weights.
    SyntheticRiskData all = SyntheticRiskData.generate(6000, features, 101);
    double[][] trainX = java.util.Arrays.copyOfRange(all.features(), 0, 3000);
    double[] trainY = java.util.Arrays.copyOfRange(all.labels(), 0, 3000);
    double[][] testX = java.util.Arrays.copyOfRange(all.features(), 3000, 6000);
    double[] testY = java.util.Arrays.copyOfRange(all.labels(), 3000, 6000);
    SgdSchedule schedule = new SgdSchedule(3, 64, 0.5);
    var roles = new VerticalLogisticRegression.Roles(Party.P0, Party.P1, Party.P2);

    List<Optional<LogisticModel>> out = ThreePartyRuntime.inProcess(COMMITTEE, Duration.ofSeconds(60)).run(s ->
        VerticalLogisticRegression.train(s, roles, trainX.length, features,
            s.self().equals(Party.P0) ? trainX : null, s.self().equals(Party.P1) ? trainY : null, schedule));
    assertTrue(out.get(0).isEmpty() && out.get(1).isEmpty(), "the feature and label owners must not receive the model");
    LogisticModel secure = out.get(2).orElseThrow();
    LogisticModel plain = LogisticModel.trainInPlaintext(trainX, trainY, schedule);

    double secureAccuracy = secure.accuracy(testX, testY);
    double plainAccuracy = plain.accuracy(testX, testY);
    assertTrue(plainAccuracy > 0.7, "the dataset must make logistic regression meaningful (plaintext accuracy " + plainAccuracy + ")");
    assertEquals(plainAccuracy, secureAccuracy, 0.01, "secure " + secureAccuracy + " vs plaintext " + plainAccuracy);
    // Fixed-point SGD tracks the double-precision run closely (about 1e-4 here); 0.01 leaves room for rounding.
    for (int k = 0; k < features; k++) assertEquals(plain.weights()[k], secure.weights()[k], 0.01, "weight " + k);
  }

  /**
   * The PSI payload route: the two owners hold only additive shares (over Z_2^64, in the session's fixed point) of
   * every aligned value, each blind to the other's columns; the committee adds their inputs and trains the same model.
   */
  @Test
  void trainingOnThePayloadsAdditiveSharesGivesTheSameModel() {
    int features = 4;
    SyntheticRiskData all = SyntheticRiskData.generate(2000, features, 7);
    double[][] x = all.features();
    double[] y = all.labels();
    int rows = x.length;
    SgdSchedule schedule = new SgdSchedule(2, 64, 0.5);
    var roles = new VerticalLogisticRegression.Roles(Party.P0, Party.P1, Party.P2);
    io.covenant.mpc.ring.FixedPoint fp = io.covenant.mpc.ring.FixedPoint.DEFAULT;
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    long[][] featureShares = new long[2][rows * features];
    long[][] labelShares = new long[2][rows];
    for (int i = 0; i < rows; i++) {
      for (int k = 0; k < features; k++) {
        long v = fp.encode(new double[] {x[i][k]})[0];
        long r = random.nextLong();
        featureShares[0][i * features + k] = v - r;
        featureShares[1][i * features + k] = r;
      }
      long v = fp.encode(new double[] {y[i]})[0];
      long r = random.nextLong();
      labelShares[0][i] = v - r;
      labelShares[1][i] = r;
    }
    List<Optional<double[]>> out = ThreePartyRuntime.inProcess(COMMITTEE, Duration.ofSeconds(60)).run(s -> {
      int me = s.self().index();
      var w = VerticalLogisticRegression.trainSharedOnPayload(s, roles, rows, features, me < 2 ? featureShares[me] : null,
          me < 2 ? labelShares[me] : null, schedule);
      return s.revealFixedPointTo(w, Party.P2);
    });
    double[] w = out.get(2).orElseThrow();
    LogisticModel plain = LogisticModel.trainInPlaintext(x, y, schedule);
    for (int k = 0; k < features; k++) assertEquals(plain.weights()[k], w[k], 0.01, "weight " + k);
    assertEquals(plain.intercept(), w[features], 0.01, "intercept");
  }
}
