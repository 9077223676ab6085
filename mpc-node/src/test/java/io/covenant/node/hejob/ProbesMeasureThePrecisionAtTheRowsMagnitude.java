package io.covenant.node.hejob;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.HeParameters;
import io.covenant.mpc.he.HeSidecarInstall;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.mpc.he.ScoringOwner;
import io.covenant.mpc.he.ScoringPolicy;
import io.covenant.mpc.he.SealSidecar;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The consumer node's probe rows for an he score: drawn up to each feature's share of the range the parameters hold
 * (so a linear score of rows with claim costs in the tens of thousands is measured at that magnitude, and no probe
 * leaves CKKS's headroom, which would garble every slot), and for a logistic model kept within the sigmoid polynomial's
 * radius. Scoring such rows through SEAL, every decrypted score is within the bound the node states.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProbesMeasureThePrecisionAtTheRowsMagnitude {
  private SealSidecar insurer;
  private SealSidecar owner;

  @BeforeAll
  void start() {
    insurer = SealSidecar.start(HeSidecarInstall.install(), SealSidecar.Options.named("probe-insurer"));
    owner = SealSidecar.start(HeSidecarInstall.install(), SealSidecar.Options.named("probe-owner"));
  }

  @AfterAll
  void stop() {
    if (insurer != null) insurer.close();
    if (owner != null) owner.close();
  }

  private static final ScoringModel PRICING = ScoringModel.linear(new double[] {2.1, 35.0, 0.05}, 120);

  @Test
  void linearProbesReachTheFeaturesMagnitudeWithinTheParametersRange() {
    double[][] probes = HeJobService.probes(PRICING, 100_000);
    double largestCost = 0;
    for (double[] p : probes) {
      assertTrue(Math.abs(PRICING.score(p)) <= 4096 + 1e-9, "a probe scores " + PRICING.score(p));
      largestCost = Math.max(largestCost, Math.abs(p[2]));
    }
    assertTrue(largestCost > 1_000, "the probes measure claim costs of at most " + largestCost);
  }

  @Test
  void logisticProbesStayWithinTheSigmoidsRadius() {
    ScoringModel risk = ScoringModel.logistic(new double[] {0.8, -1.2, 0.5}, 0.3);
    for (double[] p : HeJobService.probes(risk, 50)) {
      double z = 0.3 + 0.8 * p[0] - 1.2 * p[1] + 0.5 * p[2];
      assertTrue(Math.abs(z) <= risk.sigmoid().radius() + 1e-9, "a probe's predictor is " + z);
    }
  }

  @Test
  void scoresOfLargeRowsDecryptWithinTheStatedBound() {
    SplittableRandom r = new SplittableRandom(7);
    double[][] rows = new double[500][];
    for (int i = 0; i < rows.length; i++) rows[i] = new double[] {r.nextInt(18, 95), r.nextInt(1, 30), r.nextDouble(300, 60_000)};
    double[][] probes = HeJobService.probes(PRICING, 100_000);
    double bound = HeJobService.bound(probes);
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, HeParameters.CKKS_SCORING, PRICING, probes, bound)) {
      EncryptedModel model = consumer.encryptModel();
      EncryptedScores encrypted = new ScoringOwner(owner, ScoringPolicy.noNoise(rows.length)).score(model, rows);
      ScoringConsumer.Scores scores = consumer.decrypt(encrypted, model, encrypted.digest());
      double[] got = scores.values();
      double worst = 0;
      for (int i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(got[i] - PRICING.score(rows[i])));
      assertTrue(worst <= bound, "rows are off by " + worst + ", beyond the stated " + bound);
      assertTrue(scores.precision().measuredMaxError() > 0 && scores.precision().measuredMaxError() <= bound, scores.precision().toString());
    }
  }
}
