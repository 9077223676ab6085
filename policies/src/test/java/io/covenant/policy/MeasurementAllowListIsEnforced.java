package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.Measurement;
import org.junit.jupiter.api.Test;

class MeasurementAllowListIsEnforced {
  private static final Measurement LISTED = new Measurement(ClaimsScenario.MEASUREMENT);
  private static final Measurement OTHER = new Measurement("b".repeat(96));

  @Test
  void onlyListedMeasurementsAndNoSimulationByDefault() {
    Policy p = ClaimsScenario.policy();
    assertTrue(p.allowsMeasurement(LISTED, false));
    assertFalse(p.allowsMeasurement(OTHER, false));
    assertFalse(p.allowsMeasurement(LISTED, true), "a simulated enclave protects nothing; refused unless the policy says so");
  }

  @Test
  void simulationOnlyWhenThePolicySaysSo() {
    Policy p = Policy.parse(ClaimsScenario.POLICY.replace("\"allowSimulated\": false", "\"allowSimulated\": true"));
    assertTrue(p.allowsMeasurement(LISTED, true));
    assertFalse(p.allowsMeasurement(OTHER, true));
  }

  @Test
  void noEnclaveWhenTheTeeEngineIsNotAllowed() {
    Policy p = Policy.parse(ClaimsScenario.POLICY.replace("\"engines\": [\"tee\"]", "\"engines\": [\"mpc\"]"));
    assertFalse(p.allowsMeasurement(LISTED, false));
  }
}
