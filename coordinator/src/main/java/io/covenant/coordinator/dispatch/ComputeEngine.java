package io.covenant.coordinator.dispatch;

import io.covenant.core.id.Measurement;
import io.covenant.core.job.Engine;
import java.util.Optional;

/** Where an authorised job runs (TEE, MPC or FL). The coordinator hands it ids and addresses, never keys or data. */
public interface ComputeEngine {
  Engine engine();

  /** The code measurement this engine attests to, if it runs attested code; recorded in COMPUTATION_STARTED. */
  Optional<Measurement> measurement();

  EngineRun run(AuthorizedJob job);
}
