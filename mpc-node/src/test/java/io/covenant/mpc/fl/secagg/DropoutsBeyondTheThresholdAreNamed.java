package io.covenant.mpc.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** More dropouts than the threshold allows stop the round with an error naming each hospital that dropped, and where. */
class DropoutsBeyondTheThresholdAreNamed {

  @Test
  void threeOfFiveDroppingWithThresholdThreeStopsTheRoundNamingThem() {
    List<OrgId> roster = SecAggRun.hospitals(5);
    Set<OrgId> leaving = Set.of(roster.get(1), roster.get(3), roster.get(4));
    List<long[]> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) inputs.add(new long[] {i, 2L * i});
    SecureAggregationAbortedException e = assertThrows(SecureAggregationAbortedException.class,
        () -> SecAggRun.run(roster, 3, inputs, (h, l) -> leaving.contains(h) ? LinksThatFail.closingAfter(l, 3) : l, (h, l) -> l));
    assertEquals(leaving, Set.copyOf(e.dropped().stream().map(DroppedHospital::hospital).toList()));
    for (OrgId h : leaving) assertTrue(e.getMessage().contains(h + " (at Unmasking)"), e.getMessage());
    assertTrue(e.getMessage().contains("2 hospital(s) remain where 3 are needed"), e.getMessage());
    assertTrue(e.getMessage().contains("Nothing was unmasked"), e.getMessage());
  }

  @Test
  void tooFewHospitalsSharingKeysStopsBeforeAnyInputIsSent() {
    List<OrgId> roster = SecAggRun.hospitals(4);
    Set<OrgId> leaving = Set.of(roster.get(0), roster.get(2));
    List<long[]> inputs = new ArrayList<>();
    for (int i = 0; i < 4; i++) inputs.add(new long[] {i});
    SecureAggregationAbortedException e = assertThrows(SecureAggregationAbortedException.class,
        () -> SecAggRun.run(roster, 3, inputs, (h, l) -> leaving.contains(h) ? LinksThatFail.closingAfter(l, 1) : l, (h, l) -> l));
    assertTrue(e.getMessage().contains("stopped at ShareKeys"), e.getMessage());
    for (OrgId h : leaving) assertTrue(e.getMessage().contains(h.toString()), e.getMessage());
  }
}
