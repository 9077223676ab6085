package io.covenant.mpc.fl;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.fl.model.ModelKind;
import java.util.Locale;

/**
 * What every party of a federated job agrees on before round one.
 *
 * @param rounds federated rounds (global model updates)
 * @param localEpochs passes over its own rows each hospital makes per round
 * @param batchSize rows per local SGD step
 * @param learningRate local SGD step size
 * @param proximalMu FedProx's μ; 0 means plain FedAvg
 * @param model the model every hospital trains
 * @param clippingNorm S, the L2 norm each hospital's update is clipped to (0: no clipping, only without noise)
 * @param noiseMultiplier σ of DP-FedAvg: the aggregate carries N(0, σ²S²) noise per coordinate (0: no DP)
 * @param delta the δ at which epsilon is reported
 * @param dropoutTolerance the fraction of hospitals (below one half) that may drop out of a round while the round
 *     still completes; fixes the secure-aggregation threshold t = n − ⌊tolerance·n⌋
 * @param secureAggregation whether updates are masked (Bonawitz et al. 2017) or sent in the clear to the aggregator
 * @param seed the initial model and every shuffle derive from it, so a job can be rerun exactly
 * @param suite the consortium's crypto suite, whose hash makes the model and aggregate digests the ledger records
 *     ({@link ModelDigest}); the secure-aggregation protocol itself stays as its paper fixes it ({@code FixedAlgorithms})
 */
public record FlJobSpec(int rounds, int localEpochs, int batchSize, double learningRate, double proximalMu, ModelKind model,
    double clippingNorm, double noiseMultiplier, double delta, double dropoutTolerance, boolean secureAggregation, long seed,
    io.covenant.core.crypto.CryptoSuite suite) {

  public FlJobSpec {
    if (rounds < 1 || rounds > 10_000) throw new MalformedInputException("a federated job has 1 to 10,000 rounds; got " + rounds);
    if (localEpochs < 1 || localEpochs > 1_000) throw new MalformedInputException("local epochs are 1 to 1,000; got " + localEpochs);
    if (batchSize < 1) throw new MalformedInputException("the batch size is at least 1; got " + batchSize);
    if (!(learningRate > 0 && learningRate <= 100)) throw new MalformedInputException("the learning rate is above 0 and at most 100; got " + learningRate);
    if (!(proximalMu >= 0 && proximalMu <= 1_000)) throw new MalformedInputException("FedProx's mu is 0 (FedAvg) to 1,000; got " + proximalMu);
    if (model == null) throw new MalformedInputException("a federated job names its model kind");
    if (suite == null) throw new MalformedInputException("a federated job names the consortium's crypto suite");
    if (!(clippingNorm >= 0) || Double.isInfinite(clippingNorm)) throw new MalformedInputException("the clipping norm is 0 (none) or a positive number; got " + clippingNorm);
    if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) throw new MalformedInputException("the noise multiplier is 0 (no DP) or a positive number; got " + noiseMultiplier);
    if (noiseMultiplier > 0 && clippingNorm == 0) {
      throw new MalformedInputException("noise without clipping bounds nothing: set a clipping norm (e.g. 1.0) when the noise multiplier is "
          + noiseMultiplier);
    }
    if (!(delta > 0 && delta < 1)) throw new MalformedInputException("delta is strictly between 0 and 1 (e.g. 1e-6); got " + delta);
    if (!(dropoutTolerance >= 0 && dropoutTolerance < 0.5)) {
      throw new MalformedInputException("the dropout tolerance is a fraction from 0 to below 0.5 (secure aggregation needs a majority to "
          + "unmask); got " + dropoutTolerance);
    }
  }

  /**
   * FedAvg with the given model and learning schedule: no proximal term, no DP, secure aggregation on, 20% dropouts, in
   * an international consortium (digests SHA-256; {@link #withSuite} for a national one).
   */
  public static FlJobSpec fedAvg(ModelKind model, int rounds, int localEpochs, double learningRate) {
    return new FlJobSpec(rounds, localEpochs, 32, learningRate, 0, model, 0, 0, 1e-6, 0.2, true, 1, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  public FlJobSpec withSuite(io.covenant.core.crypto.CryptoSuite s) {
    return new FlJobSpec(rounds, localEpochs, batchSize, learningRate, proximalMu, model, clippingNorm, noiseMultiplier, delta, dropoutTolerance, secureAggregation, seed, s);
  }

  public FlJobSpec withProximalMu(double mu) {
    return new FlJobSpec(rounds, localEpochs, batchSize, learningRate, mu, model, clippingNorm, noiseMultiplier, delta, dropoutTolerance, secureAggregation, seed, suite);
  }

  public FlJobSpec withDifferentialPrivacy(double clipping, double noise, double delta) {
    return new FlJobSpec(rounds, localEpochs, batchSize, learningRate, proximalMu, model, clipping, noise, delta, dropoutTolerance, secureAggregation, seed, suite);
  }

  public FlJobSpec withSecureAggregation(boolean on) {
    return new FlJobSpec(rounds, localEpochs, batchSize, learningRate, proximalMu, model, clippingNorm, noiseMultiplier, delta, dropoutTolerance, on, seed, suite);
  }

  public FlJobSpec withDropoutTolerance(double tolerance) {
    return new FlJobSpec(rounds, localEpochs, batchSize, learningRate, proximalMu, model, clippingNorm, noiseMultiplier, delta, tolerance, secureAggregation, seed, suite);
  }

  public FlJobSpec withBatchSize(int size) {
    return new FlJobSpec(rounds, localEpochs, size, learningRate, proximalMu, model, clippingNorm, noiseMultiplier, delta, dropoutTolerance, secureAggregation, seed, suite);
  }

  public FlJobSpec withRounds(int r) {
    return new FlJobSpec(r, localEpochs, batchSize, learningRate, proximalMu, model, clippingNorm, noiseMultiplier, delta, dropoutTolerance, secureAggregation, seed, suite);
  }

  public FlJobSpec withSeed(long s) {
    return new FlJobSpec(rounds, localEpochs, batchSize, learningRate, proximalMu, model, clippingNorm, noiseMultiplier, delta, dropoutTolerance, secureAggregation, s, suite);
  }

  public boolean differentiallyPrivate() {
    return noiseMultiplier > 0;
  }

  /** The least number of hospitals whose updates make up a round: t = n − ⌊tolerance·n⌋, always a majority of n. */
  public int threshold(int hospitals) {
    return hospitals - (int) Math.floor(dropoutTolerance * hospitals);
  }

  public String algorithm() {
    return proximalMu == 0 ? "FedAvg" : String.format(Locale.ROOT, "FedProx (mu %.3g)", proximalMu);
  }
}
