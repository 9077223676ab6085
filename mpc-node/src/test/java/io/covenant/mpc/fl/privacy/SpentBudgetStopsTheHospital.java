package io.covenant.mpc.fl.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.FlJobSpec;
import io.covenant.mpc.fl.FlRoster;
import io.covenant.mpc.fl.FlRoundRecord;
import io.covenant.mpc.fl.HospitalOutcome;
import io.covenant.mpc.fl.InProcessFederation;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import io.covenant.mpc.fl.model.ModelKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Under DP-FedAvg with secure aggregation, a hospital whose owner's remaining epsilon does not cover the next round
 * refuses it with a typed outcome and a reason; the aggregator records the refusal by name and carries on without it
 * while enough hospitals remain, or stops the job saying why.
 */
class SpentBudgetStopsTheHospital {
  private static final double SIGMA = 1.5;
  private static final double DELTA = 1e-5;
  private final FlRoster roster = new FlRoster(OrgId.of("insurer-x"),
      List.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"), OrgId.of("hospital-c"), OrgId.of("hospital-d")));
  private final FlJobSpec spec = FlJobSpec.fedAvg(new ModelKind.LogisticRegression(), 5, 1, 0.1).withDropoutTolerance(0.25)
      .withDifferentialPrivacy(0.5, SIGMA, DELTA);

  private static double epsilonAfter(int rounds) {
    return new RdpAccountant().compose(1.0, SIGMA, rounds).spent(DELTA).epsilon();
  }

  @Test
  void aHospitalWithBudgetForTwoRoundsDeclinesTheThirdAndTheOthersGoOn() {
    double enoughForTwo = (epsilonAfter(2) + epsilonAfter(3)) / 2;
    List<PrivacyBudget> budgets = new ArrayList<>(Collections.nCopies(4, new PrivacyBudget(1000, DELTA)));
    budgets.set(1, new PrivacyBudget(enoughForTwo, DELTA));
    List<LabelledData> data = ReadmissionScenario.generate(5, 4, 400);

    InProcessFederation.Run run = new InProcessFederation(spec, roster, data, budgets).run();

    assertTrue(run.failures().isEmpty(), "failures: " + run.failures());
    HospitalOutcome.StoppedByBudget b = assertInstanceOf(HospitalOutcome.StoppedByBudget.class, run.outcomes().get(OrgId.of("hospital-b")));
    assertEquals(2, b.roundsContributed());
    assertEquals(3, b.refusal().round());
    assertEquals(epsilonAfter(3), b.refusal().epsilonIfContributed(), 1e-12);
    assertTrue(b.refusal().reason().contains("over the"), b.refusal().reason());

    List<FlRoundRecord> rounds = run.result().rounds();
    assertEquals(5, rounds.size(), "the job goes on with the three others");
    assertEquals(roster.hospitals(), rounds.get(1).participants());
    FlRoundRecord third = rounds.get(2);
    assertEquals(List.of(OrgId.of("hospital-b")), third.declined().stream().map(d -> d.hospital()).toList());
    assertEquals(b.refusal().reason(), third.declined().getFirst().reason());
    assertEquals(List.of(OrgId.of("hospital-a"), OrgId.of("hospital-c"), OrgId.of("hospital-d")), rounds.get(4).participants());
    assertEquals(epsilonAfter(5), rounds.get(4).epsilon(), 1e-12, "each round's record states the epsilon so far");
    assertTrue(Double.isNaN(third.startingModelAuc()), "under DP no un-noised metric is summed");
    HospitalOutcome.Completed a = assertInstanceOf(HospitalOutcome.Completed.class, run.outcomes().get(OrgId.of("hospital-a")));
    assertEquals(epsilonAfter(5), a.epsilonSpent(), 1e-12);
  }

  @Test
  void whenTooManyBudgetsAreSpentTheJobStopsAndSaysWhy() {
    double enoughForOne = (epsilonAfter(1) + epsilonAfter(2)) / 2;
    List<PrivacyBudget> budgets = new ArrayList<>(Collections.nCopies(4, new PrivacyBudget(1000, DELTA)));
    budgets.set(0, new PrivacyBudget(enoughForOne, DELTA));
    budgets.set(3, new PrivacyBudget(enoughForOne, DELTA));

    InProcessFederation.Run run = new InProcessFederation(spec, roster, ReadmissionScenario.generate(5, 4, 400), budgets).run();

    assertTrue(run.failures().isEmpty(), "the hospitals that joined the called-off round are told, not left waiting: " + run.failures());
    assertEquals(1, run.result().rounds().size());
    String why = run.result().stoppedEarly().orElseThrow();
    assertTrue(why.contains("round 2 stopped the job: 2 hospital(s) joined, fewer than the 3"), why);
    assertTrue(why.contains("hospital-a (round 2 would bring") && why.contains("hospital-d (round 2 would bring"), why);
    assertInstanceOf(HospitalOutcome.StoppedByBudget.class, run.outcomes().get(OrgId.of("hospital-a")));
  }
}
