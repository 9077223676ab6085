package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.ledger.settlement.OwnerShare;
import io.covenant.tee.compute.ResultTable;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Jobs include exactly the vehicles whose owners' consent covers the consumer, purpose and time: the insurer's scores,
 * and the settlement, name only covered vehicles; after some owners withdraw, the next job of the same insurer leaves
 * out exactly those vehicles and no other, inside the enclave, and pays them nothing.
 */
class WithdrawnConsentIsExcludedExactly {
  private static Set<String> scored(ResultTable t) {
    int v = t.columns().indexOf("vehicle");
    return t.rows().stream().map(r -> (String) r.get(v)).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> paid(VehiclesDemo.Job j) {
    return j.settled().sheet().shares().stream().map(OwnerShare::owner).collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theJobAfterTheWithdrawalsLeavesOutExactlyTheWithdrawn() {
    VehicleScenario s = VehicleScenario.get();
    VehiclesDemo.Job first = s.outcome.jobs().get(0), beacon = s.outcome.jobs().get(1), after = s.outcome.jobs().get(2);
    assertFalse(s.outcome.withdrawn().isEmpty(), "the scenario withdraws some consents");
    Set<String> withdrawn;
    try (LocalDeployment d = s.open()) {
      VehicleMaker maker = new VehicleMaker(d, VehiclesDemo.MAKER);
      withdrawn = s.outcome.withdrawn().stream().map(maker::pseudonym).collect(Collectors.toCollection(TreeSet::new));
    }
    // Scores and payments only for covered vehicles (none suppressed: every vehicle drove more than the minimum trips).
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
    // A different consumer's consents are its own: Beacon's job is not the same set as Aurora's.
    assertFalse(scored(beacon.scores()).equals(scored(first.scores())));
  }
}
