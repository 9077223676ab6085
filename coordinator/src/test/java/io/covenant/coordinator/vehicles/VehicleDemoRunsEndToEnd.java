package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.job.JobState;
import io.covenant.storage.telemetry.TelemetryRefusedException.Reason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vehicle scenario runs end to end: ingest, a refused bad batch, three licensed jobs, settlements, a statement, verify. */
class VehicleDemoRunsEndToEnd {
  @Test
  void theScenarioComputesSettlesProvesAndVerifies() {
    VehicleScenario s = VehicleScenario.get();
    VehiclesDemo.Outcome o = s.outcome;
    assertEquals(3, o.jobs().size());
    for (VehiclesDemo.Job j : o.jobs()) {
      assertEquals(JobState.COMMITTED, j.outcome().state());
      assertFalse(j.scores().rows().isEmpty());
      // The score is computed in the enclave: only it and the trip count leave, not the sums it is made of.
      assertEquals(List.of("vehicle", "trips", "score"), j.scores().columns());
      for (List<Object> row : j.scores().rows()) {
        double score = UbiScoring.score(j.scores(), row);
        assertTrue(score >= 0 && score <= 100, "score " + score + " of " + row);
      }
      var st = j.settled().sheet().settlement();
      assertEquals(st.amount(), st.makerAmount() + st.ownersAmount());
    }
    assertEquals(List.of(Reason.REPLAYED, Reason.BAD_SIGNATURE), o.refused().refusals().stream().map(r -> r.reason()).toList());
    assertTrue(o.verified().ok(), o.verified().toString());
    assertTrue(o.statement().proved());
    assertFalse(o.tampered().ok(), "the edited settlement must fail verification");
    assertEquals("USAGE_SETTLED", o.tampered().failure().orElseThrow().eventType());
    assertEquals(o.jobs().get(0).settled().entry().index(), o.tampered().failure().get().index());
    // The operator's own re-signed, re-linked rewrite passes every signature and hash; the settlement rule names it.
    assertEquals(o.jobs().get(0).settled().entry().index(), o.rewritten().failure().orElseThrow().index());
    assertTrue(o.rewritten().failure().get().reason().contains("gives the maker"), o.rewritten().failure().get().reason());
    assertTrue(s.printed.contains("SIMULATED") || s.printed.contains("simulated"), "the TEE's simulation is labelled");
    assertTrue(s.printed.contains("risk band"), s.printed);
  }
}
