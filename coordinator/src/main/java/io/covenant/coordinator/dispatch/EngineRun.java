package io.covenant.coordinator.dispatch;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.id.Measurement;
import java.util.List;
import java.util.Optional;

/**
 * What an engine hands back: the result sealed to the consumer, and the facts RESULT_COMMITTED records ({@code
 * modelHash}: for a training job, the SHA-256 of the model sealed inside).
 */
public record EngineRun(
    byte[] sealedResult, Digest resultHash, Optional<Measurement> measurement, boolean simulated, List<Cid> inputManifests,
    long outputRows, long suppressedGroups, Optional<Digest> modelHash) {
  public EngineRun {
    sealedResult = sealedResult.clone();
    inputManifests = List.copyOf(inputManifests);
    modelHash = modelHash == null ? Optional.empty() : modelHash;
  }

  /** A run that released a result table (no model). */
  public EngineRun(
      byte[] sealedResult, Digest resultHash, Optional<Measurement> measurement, boolean simulated, List<Cid> inputManifests,
      long outputRows, long suppressedGroups) {
    this(sealedResult, resultHash, measurement, simulated, inputManifests, outputRows, suppressedGroups, Optional.empty());
  }

  @Override
  public byte[] sealedResult() {
    return sealedResult.clone();
  }
}
