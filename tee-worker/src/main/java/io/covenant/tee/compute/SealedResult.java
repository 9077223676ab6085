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
 * {@code resultHash} is SHA-256 of {@code sealed}, so the ledger offers no way to test a guess at the plaintext.
 * {@code simulated} is true whenever the enclave's attestation was a simulation. {@code modelHash}, for a training job,
 * is the SHA-256 of the model bytes sealed inside, so that the ledger names the exact model the consumer received.
 */
public record SealedResult(
    byte[] sealed, Digest resultHash, long rows, long suppressedGroups, Measurement measurement, boolean simulated, List<Cid> inputManifests,
    Optional<Digest> modelHash) {
  public SealedResult {
    sealed = sealed.clone();
    inputManifests = List.copyOf(inputManifests);
    modelHash = modelHash == null ? Optional.empty() : modelHash;
    if (!Digest.ofContent(sealed).equals(resultHash)) throw new IllegalArgumentException("resultHash must be the SHA-256 of the sealed bytes");
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
    return "SealedResult[" + sealed.length + " bytes, sha256 " + resultHash.shortForm() + ", " + rows + " rows, " + suppressedGroups
        + " groups suppressed" + modelHash.map(h -> ", model " + h.shortForm()).orElse("") + (simulated ? ", SIMULATED" : "") + "]";
  }
}
