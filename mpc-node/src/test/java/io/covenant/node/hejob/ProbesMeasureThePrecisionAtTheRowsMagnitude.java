package io.covenant.node.hejob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.FeatureRanges;
import io.covenant.mpc.he.HeSidecarInstall;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.mpc.he.ScoringOwner;
import io.covenant.mpc.he.ScoringPolicy;
import io.covenant.mpc.he.SealSidecar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer node's probe rows for an he score: drawn in the feature scales the consumer declared (so a linear score
 * of rows with claim costs in the tens of thousands is measured at that magnitude), and only for a model that cannot
 * leave CKKS's range over those scales (a probe past it would garble every slot), or, for a logistic model, the sigmoid
 * polynomial's radius. Scoring such rows through SEAL, every decrypted score is within the bound the node states.
 *
 * <p>Changed with the probes' leak (OwnerCannotReadWeightMagnitudesFromProbes): the probes were once scaled per feature
 * by limit/(d·|w_j|) to stay in range, which the owner could read; now a model whose scores can leave the range over
 * its declared scales is refused instead, so the rows here lie within the scales declared for them (costs up to
 * 50,000, not 60,000: 2.1·100 + 35·30 + 0.05·50,000 + 120 = 3,880 fits the 4,096; 60,000 would not), and the logistic
 * model declares features of size 2 (|z| ≤ 2.5·2 + 0.3 within the radius 8), not 50.
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
  private static final FeatureRanges PRICING_SCALES = FeatureRanges.symmetric(new double[] {100, 30, 50_000});

  @Test
  void linearProbesReachTheFeaturesMagnitudeWithinTheParametersRange() {
    double largestCost = 0;
    for (double[] p : PRICING_SCALES.probesFor(PRICING)) {
      assertTrue(Math.abs(PRICING.score(p)) <= FeatureRanges.LINEAR_LIMIT, "a probe scores " + PRICING.score(p));
      for (int j = 0; j < p.length; j++) assertTrue(Math.abs(p[j]) <= PRICING_SCALES.scales()[j], "a probe lies within the declared scales");
      largestCost = Math.max(largestCost, Math.abs(p[2]));
    }
    assertTrue(largestCost > 1_000, "the probes measure claim costs of at most " + largestCost);
  }

  @Test
  void logisticProbesStayWithinTheSigmoidsRadius() {
    ScoringModel risk = ScoringModel.logistic(new double[] {0.8, -1.2, 0.5}, 0.3);
    for (double[] p : FeatureRanges.symmetric(new double[] {2, 2, 2}).probesFor(risk)) {
      double z = 0.3 + 0.8 * p[0] - 1.2 * p[1] + 0.5 * p[2];
      assertTrue(Math.abs(z) <= risk.sigmoid().radius() + 1e-9, "a probe's predictor is " + z);
    }
  }

  @Test
  void aModelThatCanLeaveTheRangeOverItsScalesIsRefusedWithoutNamingByHowMuch(@TempDir Path dir) {
    // 2.1·100 + 35·30 + 0.05·100,000 + 120 = 6,380: past the 4,096 CKKS keeps exact.
    double[] tooWide = {100, 30, 100_000};
    HeConsumerModels models = new HeConsumerModels(dir.resolve("he-models"));
    MalformedInputException stored = assertThrows(MalformedInputException.class, () -> models.save("pricing", PRICING.weights(), PRICING.bias(), tooWide));
    assertTrue(stored.getMessage().contains("featureScales"), "the refusal says what to change: " + stored.getMessage());
    assertFalse(Files.exists(dir.resolve("he-models").resolve("pricing.json")), "nothing is stored");
    // At the job (a model file written another way), the consumer's step refuses before any key or probe is made; its
    // reason can reach the ledger, so it names the public scales and limit but no number made from the weights.
    MalformedInputException atJob = assertThrows(MalformedInputException.class,
        () -> HeJobService.scoringConsumer(insurer, new HeConsumerModels.Stored(PRICING, FeatureRanges.symmetric(tooWide))));
    assertFalse(atJob.getMessage().contains("6380") || atJob.getMessage().contains("6,380"), atJob.getMessage());
    ScoringModel risk = ScoringModel.logistic(new double[] {0.8, -1.2, 0.5}, 0.3);
    assertThrows(MalformedInputException.class, () -> FeatureRanges.symmetric(new double[] {50, 50, 50}).probesFor(risk), "a logistic model past the radius");
  }

  @Test
  void scoresOfLargeRowsDecryptWithinTheStatedBound() {
    SplittableRandom r = new SplittableRandom(7);
    double[][] rows = new double[500][];
    for (int i = 0; i < rows.length; i++) rows[i] = new double[] {r.nextInt(18, 95), r.nextInt(1, 30), r.nextDouble(300, 50_000)};
    double bound = PRICING_SCALES.bound();
    try (ScoringConsumer consumer = HeJobService.scoringConsumer(insurer, new HeConsumerModels.Stored(PRICING, PRICING_SCALES))) {
      EncryptedModel model = consumer.encryptModel();
      EncryptedScores encrypted = new ScoringOwner(owner, ScoringPolicy.noNoise(rows.length)).score(model, rows);
      ScoringConsumer.Scores scores = consumer.decrypt(encrypted, model, encrypted.digest());
      double[] got = scores.values();
      double worst = 0;
      for (int i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(got[i] - PRICING.score(rows[i])));
      assertTrue(worst <= bound, "rows are off by " + worst + ", beyond the stated " + bound);
      assertTrue(scores.precision().measuredMaxError() > 0 && scores.precision().measuredMaxError() <= bound, scores.precision().toString());
      assertEquals(bound, scores.precision().bound(), "the bound stated is the declared scales'");
    }
  }
}
