package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.settlement.OwnerShare;
import io.covenant.tee.compute.ResultTable;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * On the HE route too, jobs score exactly the vehicles whose owners' consent covers the insurer at run time: the maker's
 * side drops the withdrawn vehicles' rows before summing features, the scores and the settlement name only covered
 * vehicles, the job after some owners withdraw leaves out exactly those, and the maker's CIPHERTEXT_RECORDED counts
 * exactly the vehicles it scored.
 */
class WithdrawnConsentIsExcludedOnTheHeRoute {
  private static Set<String> scored(ResultTable t) {
    int v = t.columns().indexOf("vehicle");
    return t.rows().stream().map(r -> (String) r.get(v)).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> paid(VehiclesDemo.Job j) {
    return j.settled().sheet().shares().stream().map(OwnerShare::owner).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theHeJobAfterTheWithdrawalsLeavesOutExactlyTheWithdrawn() {
    VehicleHeScenario s = VehicleHeScenario.get();
    VehiclesDemo.Job first = s.outcome.jobs().get(0), after = s.outcome.jobs().get(2);
    for (VehiclesDemo.Job j : s.outcome.jobs()) assertEquals(UbiRoute.HE, j.route());
    assertFalse(s.outcome.withdrawn().isEmpty(), "the scenario withdraws some consents");
    Set<String> withdrawn;
    try (LocalDeployment d = s.open()) {
      VehicleMaker maker = new VehicleMaker(d, VehiclesDemo.MAKER);
      withdrawn = s.outcome.withdrawn().stream().map(maker::pseudonym).collect(Collectors.toCollection(TreeSet::new));
      for (VehiclesDemo.Job j : s.outcome.jobs()) {
        long recordedRows = d.ledger().entriesForJob(j.outcome().job()).stream().map(e -> e.event().event())
            .filter(e -> e instanceof AuditEvent.CiphertextRecorded c && c.role() == AuditEvent.CiphertextRecorded.Role.SCORES)
            .mapToLong(e -> ((AuditEvent.CiphertextRecorded) e).rows()).sum();
        assertEquals(j.scores().rows().size(), recordedRows, "the maker records how many vehicles it scored");
      }
    }
    for (VehiclesDemo.Job j : s.outcome.jobs()) {
      assertEquals(j.use().covered().keySet(), scored(j.scores()), "scores only for the vehicles whose consent covers " + j.consumer());
      assertEquals(j.use().covered().keySet(), paid(j), "payments only to the covered vehicles' owners");
    }
    assertTrue(first.use().covered().keySet().containsAll(withdrawn), "the withdrawn had granted the first job");
    Set<String> expected = new TreeSet<>(scored(first.scores()));
    expected.removeAll(withdrawn);
    assertEquals(expected, scored(after.scores()), "the later job scores exactly the earlier vehicles minus the withdrawn");
    assertEquals(expected, paid(after));
    for (String w : withdrawn) assertTrue(after.settled().sheet().share(w).isEmpty(), "a withdrawn owner is paid nothing");
  }
}
