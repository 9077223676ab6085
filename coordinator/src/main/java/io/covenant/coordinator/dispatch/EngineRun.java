package io.covenant.coordinator.dispatch;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.id.Measurement;
import java.util.List;
import java.util.Optional;

/** What an engine hands back: the result sealed to the consumer, and the facts RESULT_COMMITTED records. */
public record EngineRun(
    byte[] sealedResult, Digest resultHash, Optional<Measurement> measurement, boolean simulated, List<Cid> inputManifests,
    long outputRows, long suppressedGroups) {
  public EngineRun {
    sealedResult = sealedResult.clone();
    inputManifests = List.copyOf(inputManifests);
  }

  @Override
  public byte[] sealedResult() {
    return sealedResult.clone();
  }
}
