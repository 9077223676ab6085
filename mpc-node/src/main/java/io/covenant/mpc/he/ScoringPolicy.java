package io.covenant.mpc.he;

import io.covenant.core.error.MalformedInputException;

/**
 * The data owner's output controls for one scoring job: at most {@code maxRows} rows are scored, and each row's score
 * gets independent noise uniform in ±{@code noiseAmplitude} (a "rounding" of the score: it also floods the CKKS error,
 * which otherwise depends on the owner's rows). The consumer learns the amplitude, not the noise.
 */
public record ScoringPolicy(int maxRows, double noiseAmplitude) {
  public ScoringPolicy {
    if (maxRows < 1) throw new MalformedInputException("a scoring policy allows at least one row; got " + maxRows);
    if (!(noiseAmplitude >= 0) || !Double.isFinite(noiseAmplitude)) throw new MalformedInputException("the noise amplitude is 0 or a positive number; got " + noiseAmplitude);
  }

  public static ScoringPolicy noNoise(int maxRows) {
    return new ScoringPolicy(maxRows, 0);
  }
}
