package io.covenant.mpc.fl;

import io.covenant.core.crypto.Digest;
import java.util.List;
import java.util.Optional;

/**
 * The aggregator's outcome of a federated job: one record per completed round, the final global model and its
 * SHA-256 (for {@code RESULT_COMMITTED}), and, if the job stopped before its last round, why.
 */
public record FlJobResult(FlJobSpec spec, List<FlRoundRecord> rounds, double[] finalModel, Digest finalModelHash, Optional<String> stoppedEarly) {
  public FlJobResult {
    rounds = List.copyOf(rounds);
    finalModel = finalModel.clone();
  }

  @Override
  public double[] finalModel() {
    return finalModel.clone();
  }
}
