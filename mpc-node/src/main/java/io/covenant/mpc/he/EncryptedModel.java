package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.util.List;

/**
 * What the consumer sends the data owner to be scored against: the parameters and the consumer's public and
 * relinearisation keys (SEAL bytes; no secret key), one ciphertext per weight with the weight in every slot (the bias is
 * the weight of a constant feature 1, last), the public link function, and the consumer's plaintext probe rows (scored in
 * the same ciphertexts so that the consumer can measure the precision; the owner reads them, so they are drawn afresh
 * for each job in public ranges and carry nothing of the weights, see {@link FeatureRanges}).
 *
 * <p>{@link #digest()} is what the ledger records for the encrypted model: SHA-256 over the public fields and the
 * SHA-256 of every SEAL object, in order.
 */
public record EncryptedModel(ScoringModel.Link link, SigmoidPolynomial sigmoid, int features, int scaleBits, SealBytes parameters, SealBytes publicKey,
    SealBytes relinKeys, List<SealBytes> weights, double[][] probes) {

  public EncryptedModel {
    if (features < 1) throw new MalformedInputException("an encrypted model has at least one feature");
    weights = List.copyOf(weights);
    if (weights.size() != features + 1) {
      throw new MalformedInputException("an encrypted model over " + features + " features carries " + (features + 1) + " weight ciphertexts (the bias last); got " + weights.size());
    }
    if (link == ScoringModel.Link.LOGISTIC && (sigmoid == null || relinKeys == null)) {
      throw new MalformedInputException("a logistic model carries its sigmoid polynomial and relinearisation keys");
    }
    probes = copy(probes, features);
  }

  private static double[][] copy(double[][] rows, int features) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      if (rows[i].length != features) throw new MalformedInputException("probe row " + i + " has " + rows[i].length + " features, not " + features);
      out[i] = rows[i].clone();
    }
    return out;
  }

  @Override
  public double[][] probes() {
    return copy(probes, features);
  }

  /** The SHA-256 the ledger records for this encrypted model. */
  public Digest digest() {
    return HeWire.modelDigest(this);
  }

  /** Bytes on the wire, for the benchmark's table. */
  public long bytes() {
    long n = parameters.size() + publicKey.size() + (relinKeys == null ? 0 : relinKeys.size());
    for (SealBytes w : weights) n += w.size();
    return n;
  }
}
