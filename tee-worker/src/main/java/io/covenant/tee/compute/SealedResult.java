package io.covenant.tee.compute;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.id.Measurement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What leaves the enclave: the result sealed to the consumer, and the facts RESULT_COMMITTED records about it.
 * {@code resultHash} is the consortium's hash (SHA-256 under {@code intl}, SM3 under {@code sm}) of {@code sealed}, so
 * the ledger offers no way to test a guess at the plaintext; make it with {@link #of}, and check one received with
 * {@link #hashedUnder}. {@code simulated} is true whenever the enclave's attestation was a simulation. {@code modelHash},
 * for a training job, is the same hash of the model bytes sealed inside, so that the ledger names the exact model the
 * consumer received.
 */
public record SealedResult(
    byte[] sealed, Digest resultHash, long rows, long suppressedGroups, Measurement measurement, boolean simulated, List<Cid> inputManifests,
    Optional<Digest> modelHash) {
  public SealedResult {
    sealed = sealed.clone();
    inputManifests = List.copyOf(inputManifests);
    modelHash = modelHash == null ? Optional.empty() : modelHash;
    if (resultHash == null) throw new io.covenant.core.error.MalformedInputException("a sealed result needs its hash");
  }

  /** A result whose hash is {@code suite}'s hash of {@code sealed}: how an enclave makes one. */
  public static SealedResult of(io.covenant.core.crypto.CryptoSuite suite, byte[] sealed, long rows, long suppressedGroups, Measurement measurement,
      boolean simulated, List<Cid> inputManifests, Optional<Digest> modelHash) {
    return new SealedResult(sealed, suite.hash(sealed), rows, suppressedGroups, measurement, simulated, inputManifests, modelHash);
  }

  /**
   * This result, if its hash is {@code suite}'s hash of its sealed bytes; otherwise {@link io.covenant.core.error.IntegrityException}:
   * the bytes were altered, or the hash was made with another suite than the consortium's (an SM3 ledger never records
   * a SHA-256 identifier, nor the reverse).
   */
  public SealedResult hashedUnder(io.covenant.core.crypto.CryptoSuite suite) {
    if (!suite.hash(sealed).equals(resultHash)) {
      throw new io.covenant.core.error.IntegrityException("the result's hash " + resultHash.shortForm() + "… is not the " + suite.hashAlgorithm()
          + " of its " + sealed.length + " sealed bytes (the consortium's suite is " + suite.id() + "): the bytes were altered or the hash was made "
          + "with another suite; do not commit it");
    }
    return this;
  }

  /** A result table (no model). */
  public SealedResult(
      byte[] sealed, Digest resultHash, long rows, long suppressedGroups, Measurement measurement, boolean simulated, List<Cid> inputManifests) {
    this(sealed, resultHash, rows, suppressedGroups, measurement, simulated, inputManifests, Optional.empty());
  }

  @Override
  public byte[] sealed() {
    return sealed.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealedResult r
        && Arrays.equals(sealed, r.sealed)
        && rows == r.rows
        && suppressedGroups == r.suppressedGroups
        && measurement.equals(r.measurement)
        && simulated == r.simulated
        && inputManifests.equals(r.inputManifests)
        && modelHash.equals(r.modelHash);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(sealed), rows, suppressedGroups, measurement, simulated, inputManifests, modelHash);
  }

  @Override
  public String toString() {
    return "SealedResult[" + sealed.length + " bytes, hash " + resultHash.shortForm() + ", " + rows + " rows, " + suppressedGroups
        + " groups suppressed" + modelHash.map(h -> ", model " + h.shortForm()).orElse("") + (simulated ? ", SIMULATED" : "") + "]";
  }
}
