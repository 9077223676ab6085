package io.covenant.coordinator.dispatch;

import io.covenant.core.id.Measurement;
import io.covenant.core.job.Engine;
import java.util.Optional;

/** Where an authorised job runs (TEE, MPC or FL). The coordinator hands it ids and addresses, never keys or data. */
public interface ComputeEngine {
  Engine engine();

  /** The code measurement this engine attests to, if it runs attested code; recorded in COMPUTATION_STARTED. */
  Optional<Measurement> measurement();

  /**
   * Whether this engine's enclave is simulated (its evidence is signed by a software key, not by hardware); recorded
   * in COMPUTATION_STARTED, so a simulated run is labelled from its first record. An engine with no enclave is not.
   */
  boolean simulated();

  EngineRun run(AuthorizedJob job);
}
