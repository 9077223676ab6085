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
 * of rows with claim costs in the tens of thousands is measured at that magnitude), and only for a model that stays
 * within the CKKS range over those scales, or, for a logistic model, within the sigmoid polynomial's radius. Scoring
 * such rows through SEAL, every decrypted score is within the bound the node states.
 *
 * <p>Changed with the probes' leak (OwnerCannotReadWeightMagnitudesFromProbes): the probes were once scaled per feature
 * by min(featureScale, 4096/(d·|w_j|)) to keep every probe score below 4096, which the owner could read; now they fill
 * the declared scales and a model that does not fit them is refused instead. The 4096 was no CKKS limit for a linear
 * score (its ciphertext holds 2^89, FeatureRanges): scores of 10^9 decrypt here within 10^-6 of their size. The
 * logistic model declares features of size 2 (|z| ≤ 2.5·2 + 0.3 within the radius 8), not 50.
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
  private static final FeatureRanges PRICING_SCALES = FeatureRanges.symmetric(new double[] {100, 30, 100_000});

  @Test
  void linearProbesReachTheFeaturesMagnitude() {
    double largestCost = 0;
    for (double[] p : PRICING_SCALES.probesFor(PRICING)) {
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
  void aModelThatCanLeaveItsRangeOverItsScalesIsRefusedWithoutNamingByHowMuch(@TempDir Path dir) {
    // The logistic model over features up to 50: |z| up to 2.5·50 + 0.3 = 125.3, past the sigmoid's radius 8. At the job
    // the consumer's step refuses before any key or probe is made; its reason can reach the ledger, so it names the
    // public scales and limit but no number made from the weights.
    ScoringModel risk = ScoringModel.logistic(new double[] {0.8, -1.2, 0.5}, 0.3);
    MalformedInputException atJob = assertThrows(MalformedInputException.class,
        () -> HeJobService.scoringConsumer(insurer, new HeConsumerModels.Stored(risk, FeatureRanges.symmetric(new double[] {50, 50, 50}))));
    assertTrue(atJob.getMessage().contains("featureScales") && atJob.getMessage().contains("[50.0, 50.0, 50.0]"), "the refusal says what to change: " + atJob.getMessage());
    assertFalse(atJob.getMessage().contains("125"), atJob.getMessage());
    // A linear model whose score can pass 2^64 over its scales is refused when stored, and nothing is written.
    HeConsumerModels models = new HeConsumerModels(dir.resolve("he-models"));
    assertThrows(MalformedInputException.class, () -> models.save("pricing", PRICING.weights(), PRICING.bias(), new double[] {100, 30, 1e21}));
    assertFalse(Files.exists(dir.resolve("he-models").resolve("pricing.json")), "nothing is stored");
  }

  @Test
  void scoresOfLargeRowsDecryptWithinTheStatedBound() {
    SplittableRandom r = new SplittableRandom(7);
    double[][] rows = new double[500][];
    for (int i = 0; i < rows.length; i++) rows[i] = new double[] {r.nextInt(18, 95), r.nextInt(1, 30), r.nextDouble(300, 60_000)};
    double bound = PRICING_SCALES.bound(PRICING);
    try (ScoringConsumer consumer = HeJobService.scoringConsumer(insurer, new HeConsumerModels.Stored(PRICING, PRICING_SCALES))) {
      EncryptedModel model = consumer.encryptModel();
      EncryptedScores encrypted = new ScoringOwner(owner, ScoringPolicy.noNoise(rows.length)).score(model, rows);
      ScoringConsumer.Scores scores = consumer.decrypt(encrypted, model, encrypted.digest());
      double[] got = scores.values();
      double worst = 0;
      for (int i = 0; i < rows.length; i++) worst = Math.max(worst, Math.abs(got[i] - PRICING.score(rows[i])));
      assertTrue(worst <= bound, "rows are off by " + worst + ", beyond the stated " + bound);
      assertTrue(scores.precision().measuredMaxError() > 0 && scores.precision().measuredMaxError() <= bound, scores.precision().toString());
      assertEquals(bound, scores.precision().bound(), "the bound stated is the one for the declared scales");
    }
  }

  @Test
  void linearScoresFarPast4096DecryptWithinAMillionthOfTheirSize() {
    FeatureRanges huge = FeatureRanges.symmetric(new double[] {100, 30, 1e10});
    SplittableRandom r = new SplittableRandom(11);
    double[][] rows = new double[200][];
    for (int i = 0; i < rows.length; i++) rows[i] = new double[] {r.nextInt(18, 95), r.nextInt(1, 30), r.nextDouble(1e9, 1e10)};
    try (ScoringConsumer consumer = HeJobService.scoringConsumer(insurer, new HeConsumerModels.Stored(PRICING, huge))) {
      EncryptedModel model = consumer.encryptModel();
      EncryptedScores encrypted = new ScoringOwner(owner, ScoringPolicy.noNoise(rows.length)).score(model, rows);
      double[] got = consumer.decrypt(encrypted, model, encrypted.digest()).values();
      for (int i = 0; i < rows.length; i++) {
        double expected = PRICING.score(rows[i]);
        assertTrue(expected > 4096 && Math.abs(got[i] - expected) <= 1e-6 * expected, "row " + i + " scores " + got[i] + ", not " + expected);
      }
    }
  }
}
