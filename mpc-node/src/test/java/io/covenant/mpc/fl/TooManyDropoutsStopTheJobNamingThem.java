package io.covenant.mpc.fl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import io.covenant.mpc.fl.model.ModelKind;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.fl.secagg.LinksThatFail;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two of five hospitals crashing mid-round when the job tolerates one: the round cannot be unmasked, so the job stops
 * with the last completed round's model and a reason naming both hospitals and the step; the other three get that
 * model, and the called-off round does not count as contributed.
 */
class TooManyDropoutsStopTheJobNamingThem {

  @Test
  void theJobStopsAfterTheLastCompleteRoundAndNamesWhoDropped() {
    FlRoster roster = new FlRoster(OrgId.of("insurer-x"),
        List.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"), OrgId.of("hospital-c"), OrgId.of("hospital-d"), OrgId.of("hospital-e")));
    FlJobSpec spec = FlJobSpec.fedAvg(new ModelKind.LogisticRegression(), 4, 1, 0.1).withDropoutTolerance(0.2); // t = 4 of 5
    Set<OrgId> crashing = Set.of(OrgId.of("hospital-b"), OrgId.of("hospital-e"));
    InProcessFederation.Run run = new InProcessFederation(spec, roster, ReadmissionScenario.generate(9, 5, 300),
        Collections.nCopies(5, PrivacyBudget.unlimited()))
        .hospitalLinks((h, l) -> crashing.contains(h) ? LinksThatFail.closingAfter(l, 9) : l) // after round 2's masked input
        .run();

    assertEquals(1, run.result().rounds().size());
    String why = run.result().stoppedEarly().orElseThrow();
    assertTrue(why.contains("hospital-b (at Unmasking)") && why.contains("hospital-e (at Unmasking)"), why);
    assertTrue(why.contains("3 hospital(s) remain where 4 are needed"), why);
    assertEquals(run.result().rounds().getFirst().globalModelHash(), run.result().finalModelHash());
    for (OrgId h : List.of(OrgId.of("hospital-a"), OrgId.of("hospital-c"), OrgId.of("hospital-d"))) {
      HospitalOutcome.Completed o = assertInstanceOf(HospitalOutcome.Completed.class, run.outcomes().get(h), h + ": " + run.failures().get(h));
      assertEquals(run.result().finalModelHash(), o.finalModelHash());
      assertEquals(1, o.roundsContributed(), "the called-off round 2 does not count");
    }
  }
}
