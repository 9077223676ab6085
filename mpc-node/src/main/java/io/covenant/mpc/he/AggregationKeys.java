package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;

/**
 * What the consumer publishes for one encrypted aggregation: the parameters and its public key (SEAL bytes), the
 * vector length, and how many owners may contribute (BFV: each value must stay within ±(t−1)/(2·maxContributors) so
 * that the total cannot wrap around modulo t).
 */
public record AggregationKeys(SealBytes parameters, int scaleBits, SealBytes publicKey, int length, int maxContributors) {
  public AggregationKeys {
    if (parameters == null || parameters.kind() != SealBytes.Kind.PARAMETERS) throw new MalformedInputException("aggregation keys carry SEAL parameters");
    if (publicKey == null || publicKey.kind() != SealBytes.Kind.PUBLIC_KEY) throw new MalformedInputException("aggregation keys carry the consumer's public key");
    if (length < 1) throw new MalformedInputException("an aggregated vector has at least one value; got " + length);
    if (maxContributors < 1) throw new MalformedInputException("an aggregation has at least one contributor; got " + maxContributors);
  }

  /** The consumer's key id: the SHA-256 of its public key. */
  public Digest keyId() {
    return publicKey.digest();
  }
}
