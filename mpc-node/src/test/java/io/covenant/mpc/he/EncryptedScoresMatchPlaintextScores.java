package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The insurer's encrypted model, evaluated by the data owner on its plaintext rows, decrypts to the plaintext scores
 * within the precision the result states (measured on the insurer's probe rows), for a logistic and a linear model, and
 * across more than one ciphertext block; with the owner's noise, within the bound plus the noise amplitude.
 */
class EncryptedScoresMatchPlaintextScores {
  private static SealSidecar insurer;
  private static SealSidecar owner;

  @BeforeAll
  static void start() {
    insurer = Sidecars.start("insurer");
    owner = Sidecars.start("owner");
  }

  @AfterAll
  static void stop() {
    insurer.close();
    owner.close();
  }

  @Test
  void logisticScoresOverTwoBlocks() throws Exception {
    int features = 20;
    ScoringModel model = ScoringModel.logistic(ScoringParties.weights(features, 1), 0.25);
    double[][] rows = ScoringParties.rows(5000, features, 2); // 4088 rows per block: two blocks
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      ScoringParties.Run run = ScoringParties.run(consumer, new ScoringOwner(owner, ScoringPolicy.noNoise(10_000)), rows);
      ScoringConsumer.Scores scores = run.consumer().scores();
      assertEquals(2, run.owner().blocks().size());
      assertEquals(rows.length, scores.values().length);
      double maxError = maxError(model, rows, scores.values());
      Precision p = scores.precision();
      assertTrue(maxError <= p.bound(), "error " + maxError + " above the stated " + p);
      assertTrue(p.measuredMaxError() > 0 && p.measuredMaxError() <= p.bound(), p.toString());
      assertEquals(run.owner().digest(), scores.scoresDigest());
      assertEquals(run.consumer().model().digest(), scores.modelDigest());
      System.out.println("logistic: max error over owner rows " + maxError + "; " + p);
    }
  }

  @Test
  void linearScores() throws Exception {
    int features = 5;
    ScoringModel model = ScoringModel.linear(new double[] {120.5, -3.25, 40, 0.5, 7}, 300);
    double[][] rows = ScoringParties.rows(100, features, 3);
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      ScoringConsumer.Scores scores = ScoringParties.run(consumer, new ScoringOwner(owner, ScoringPolicy.noNoise(100)), rows).consumer().scores();
      double maxError = maxError(model, rows, scores.values());
      assertTrue(maxError <= scores.precision().bound(), "error " + maxError + " above " + scores.precision());
      System.out.println("linear: max error " + maxError + "; " + scores.precision());
    }
  }

  @Test
  void ownerNoiseStaysWithinItsAmplitude() throws Exception {
    int features = 3;
    ScoringModel model = ScoringModel.logistic(new double[] {0.5, -0.25, 1}, 0);
    double[][] rows = ScoringParties.rows(200, features, 4);
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      ScoringConsumer.Scores scores = ScoringParties.run(consumer, new ScoringOwner(owner, new ScoringPolicy(1000, 0.01)), rows).consumer().scores();
      double maxError = maxError(model, rows, scores.values());
      assertTrue(maxError <= scores.precision().total(), "error " + maxError + " above " + scores.precision());
      assertTrue(maxError > 10 * scores.precision().bound(), "the noise was not added: error " + maxError);
      assertEquals(0.01, scores.precision().addedNoise());
    }
  }

  static double maxError(ScoringModel model, double[][] rows, double[] got) {
    double max = 0;
    for (int i = 0; i < rows.length; i++) max = Math.max(max, Math.abs(got[i] - model.score(rows[i])));
    return max;
  }
}
