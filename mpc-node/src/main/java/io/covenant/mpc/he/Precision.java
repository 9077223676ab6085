package io.covenant.mpc.he;

/**
 * How close decrypted results are to the plaintext answer.
 *
 * @param measuredMaxError the largest |decrypted − plaintext| over the probe values the consumer could check itself
 *     (scoring: the consumer's probe rows, scored in the same ciphertexts as the owner's rows); 0 for exact BFV; NaN
 *     where nothing could be measured (a CKKS total: the consumer knows no part of it in advance)
 * @param bound the error the consumer accepts and states for every value: results whose probes exceed it are refused
 * @param addedNoise the amplitude of the noise the data owner added on purpose (uniform in ±addedNoise), on top
 * @param basis how the bound was obtained, in words
 */
public record Precision(double measuredMaxError, double bound, double addedNoise, String basis) {

  /** The total each value may be off by: the bound plus the owner's noise. */
  public double total() {
    return bound + addedNoise;
  }

  @Override
  public String toString() {
    String noise = addedNoise > 0 ? String.format(", plus noise ±%.3g", addedNoise) : "";
    if (bound == 0 && measuredMaxError == 0) return "exact" + noise + " (" + basis + ")";
    if (Double.isNaN(measuredMaxError)) return String.format("error at most %.3g%s (%s)", bound, noise, basis);
    return String.format("max error %.3g measured, bound %.3g%s (%s)", measuredMaxError, bound, noise, basis);
  }
}
