package io.covenant.node.hejob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.HeMessages;
import io.covenant.mpc.he.FeatureRanges;
import io.covenant.mpc.he.HeSidecarInstall;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.mpc.he.SealBytes;
import io.covenant.mpc.he.SealSidecar;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The curious data owner of an {@code he-score} job, reading everything its node is handed: the consumer's encrypted
 * model as it arrives on the wire (parsed by {@link HeMessages#model(byte[], OrgId)}, as {@code ownerScore} does), that
 * is the CKKS parameters, the public and relinearisation keys, one ciphertext per weight (and the bias), the link, the
 * feature count and the consumer's probe rows, which travel in the clear because the owner packs them as plaintext
 * beside its own rows (ScoringOwner). The job request itself carries only the model's name, the feature columns and the
 * link. The ciphertexts hide the weights (IND-CPA); the probe rows must too: here the owner tries to read the weights'
 * magnitudes, and their order, from the probe rows of several jobs of the same model.
 *
 * <p>Two attacks: replaying a fixed seed (if the probes are drawn from a seed the code names, the owner regenerates the
 * unscaled rows, divides, and reads each feature's scale factor, from which it solves for |w_j|), and, with no seed,
 * ranking the features by how far their probe values spread (if a feature's probes are scaled by 1/|w_j|, the feature
 * with the narrowest probes carries the largest weight). Against probes drawn afresh in the consumer's declared public
 * ranges, the first finds no consistent scale and the second is right about as often as a guess (1 in 3! = 6).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnerCannotReadWeightMagnitudesFromProbes {
  /** The demo's secret pricing model: premium = 120 + 2.1·age + 35·length_of_stay + 0.05·claim_cost. */
  private static final ScoringModel PRICING = ScoringModel.linear(new double[] {2.1, 35.0, 0.05}, 120);
  /** What the consumer declares about the owner's rows (public: the owner sees its probes drawn at that size). */
  private static final double[] FEATURE_SCALES = {100, 40, 30_000};
  private static final OrgId CONSUMER = OrgId.of("insurer-x");
  private static final int JOBS = 40;

  private SealSidecar consumerSide;

  @BeforeAll
  void start() {
    consumerSide = SealSidecar.start(HeSidecarInstall.install(), SealSidecar.Options.named("curious-owner-consumer"));
  }

  @AfterAll
  void stop() {
    if (consumerSide != null) consumerSide.close();
  }

  /** What the owner's node receives for one job of {@code model}: the consumer's step, then the wire bytes parsed. */
  private EncryptedModel ownerReceives(ScoringModel model, double[] featureScales) {
    try (ScoringConsumer consumer = HeJobService.scoringConsumer(consumerSide, new HeConsumerModels.Stored(model, FeatureRanges.symmetric(featureScales)))) {
      EncryptedModel sent = consumer.encryptModel();
      EncryptedModel received = HeMessages.model(HeMessages.model(sent), CONSUMER);
      assertArrayEquals(sent.probes(), received.probes(), "the consumer's probe rows reach the owner in the clear");
      return received;
    }
  }

  private List<EncryptedModel> jobs(ScoringModel model, double[] featureScales, int n) {
    List<EncryptedModel> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(ownerReceives(model, featureScales));
    return out;
  }

  @Test
  void theCiphertextsAndCountsAreTheSameWhateverTheWeights() {
    EncryptedModel a = ownerReceives(PRICING, FEATURE_SCALES);
    EncryptedModel b = ownerReceives(ScoringModel.linear(new double[] {0.001, 0.002, 0.003}, 0), FEATURE_SCALES);
    assertEquals(a.weights().size(), b.weights().size(), "one ciphertext per weight and the bias");
    long size = a.weights().getFirst().size();
    for (EncryptedModel m : List.of(a, b)) for (SealBytes w : m.weights()) assertEquals(size, w.size(), "every weight's ciphertext has the parameters' size");
    assertEquals(a.probes().length, b.probes().length, "as many probe rows");
  }

  /**
   * The seed-replay attack: regenerate the rows a fixed seed gives ({@code SplittableRandom(0x5EA1)}, eight rows uniform
   * in [-1, 1], as the consumer's code did before its probes were drawn afresh), divide the received rows by them, and where a feature's ratio is the same
   * in every row of the job, solve ratio = limit / (d·|w_j|) for |w_j|. Returns the estimates (NaN where no consistent
   * ratio was found).
   */
  static double[] seedReplayEstimate(EncryptedModel received) {
    int d = received.features();
    SplittableRandom r = new SplittableRandom(0x5EA1L);
    double[][] unscaled = new double[8][d];
    for (double[] row : unscaled) for (int j = 0; j < d; j++) row[j] = r.nextDouble(-1, 1);
    double[][] probes = received.probes();
    double[] estimate = new double[d];
    Arrays.fill(estimate, Double.NaN);
    if (probes.length != 8) return estimate;
    for (int j = 0; j < d; j++) {
      double[] ratios = new double[4];
      for (int p = 4; p < 8; p++) ratios[p - 4] = probes[p][j] / unscaled[p][j];
      double largest = Arrays.stream(ratios).max().orElseThrow();
      boolean consistent = largest > 0;
      // Rows may have been halved as a whole to fit the range: their ratio is then largest / 2^k.
      for (double q : ratios) {
        double k = Math.log(largest / q) / Math.log(2);
        consistent &= q > 0 && Math.abs(k - Math.rint(k)) < 1e-9;
      }
      if (consistent) estimate[j] = 4096 / (d * largest);
    }
    return estimate;
  }

  @Test
  void replayingAFixedSeedRecoversNoWeight() {
    double[] w = PRICING.weights();
    int[] recovered = new int[w.length];
    for (EncryptedModel job : jobs(PRICING, FEATURE_SCALES, 5)) {
      double[] estimate = seedReplayEstimate(job);
      for (int j = 0; j < w.length; j++) if (Math.abs(estimate[j] - Math.abs(w[j])) <= 0.01 * Math.abs(w[j])) recovered[j]++;
    }
    for (int j = 0; j < w.length; j++) {
      assertTrue(recovered[j] < 3, "the owner read |w_" + j + "| = " + Math.abs(w[j]) + " to 1% from the probe rows of " + recovered[j] + " of 5 jobs (estimates "
          + Arrays.toString(seedReplayEstimate(ownerReceives(PRICING, FEATURE_SCALES))) + ")");
    }
  }

  /**
   * The ranking attack with no seed: the feature whose probe values spread least (relative to the public scale the
   * consumer declared, the same for the three features here) is guessed to carry the largest weight. With probes
   * independent of the weights the guess is right in 1 job of 3 on average (13 of 40; 30 or more has probability below
   * 10^-7). The model fits its declared scale, so no construction needs to narrow any feature's probes for it (the
   * first version narrowed features 1 and 2, by 4096/(3·20) and 4096/(3·15), and was right in 40 of 40 jobs).
   */
  @Test
  void guessingTheLargestWeightFromTheProbesSpreadIsAGuess() {
    double[] w = {1.0, 20.0, 15.0};
    double scale = 100;
    ScoringModel model = ScoringModel.linear(w, 10);
    int right = 0;
    for (EncryptedModel job : jobs(model, new double[] {scale, scale, scale}, JOBS)) {
      double[] spread = new double[w.length];
      for (double[] row : job.probes()) for (int j = 0; j < w.length; j++) spread[j] = Math.max(spread[j], Math.abs(row[j]) / scale);
      int narrowest = 0;
      for (int j = 1; j < w.length; j++) if (spread[j] < spread[narrowest]) narrowest = j;
      if (narrowest == 1) right++;
    }
    assertTrue(right < 30, "the owner named the feature with the largest weight from the probe rows in " + right + " of " + JOBS + " jobs");
  }
}
