package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.id.Measurement;
import io.covenant.core.job.Engine;
import io.covenant.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code policy validate} warns about a policy's TEE terms: the measurement this installation's worker attests
 * with, compared with the policy's allow-list, so an owner learns before publishing (not after a failed job) that key
 * release would refuse. Warnings only: a policy written for another installation's worker is still a valid policy.
 */
final class MeasurementAdvice {
  private MeasurementAdvice() {}

  /** One line each; empty when the policy's TEE terms let this installation's worker receive the key. */
  static List<String> warnings(Policy p) {
    List<String> out = new ArrayList<>();
    if (!p.engines().contains(Engine.TEE)) return out;
    Measurement worker = LocalDeployment.workerMeasurement();
    String snippet = "\"measurements\": [\"" + worker.hex() + "\"]";
    if (p.tee().measurements().isEmpty()) {
      out.add("tee.measurements is empty: no enclave may receive the key, so every TEE job will fail at key release. "
          + "This installation's worker measures " + worker.hex() + " (SIMULATED); add to \"tee\": " + snippet
          + " (the value './covenant worker measure' prints)");
    } else if (!p.tee().measurements().contains(worker)) {
      out.add("tee.measurements does not list this installation's worker (" + worker.hex() + ", SIMULATED), so key release "
          + "here will refuse; add it if this worker should compute on the dataset (see './covenant worker measure')");
    }
    if (LocalDeployment.workerIsSimulated() && !p.tee().allowSimulated()) {
      out.add("tee.allowSimulated is false, and this installation's worker runs on simulated attestation: key release here "
          + "will refuse. Set \"allowSimulated\": true only for testing; a real deployment runs a hardware TEE");
    }
    return out;
  }
}
