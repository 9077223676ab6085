package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.policy.PolicyDecision.Outcome;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Federated training is admitted only by a policy that lists engine {@code fl} and has a training section naming every
 * column the model uses; under a privacy budget only a differentially private training (noise multiplier above 0) is
 * admitted, and it debits the policy's epsilonPerQuery like any use.
 */
class FederatedTrainingNeedsTheFlEngineAndNoiseUnderABudget {
  private static final String TRAINING = "\"training\": { \"columns\": [\"age\", \"length_of_stay\", \"claim_cost\"], \"minRows\": 500 }, ";

  private static String flOnly(String policyJson) {
    return policyJson.replace("\"engines\": [\"tee\"]", "\"engines\": [\"fl\"]").replace("\"engines\":[\"tee\"]", "\"engines\":[\"fl\"]");
  }

  private static Policy allowing() {
    return Policy.parse(flOnly(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,", "\"minCohort\": 10, " + TRAINING)));
  }

  private static Policy budgeted() {
    return Policy.parse(flOnly(ClaimsScenario.withBudget().toJson().encode().replace("\"minCohort\":10,", "\"minCohort\":10," + TRAINING)));
  }

  private static Computation.FederatedTraining training(List<String> features, String noise) {
    BigDecimal sigma = new BigDecimal(noise);
    return new Computation.FederatedTraining(Computation.FederatedTraining.LOGISTIC_REGRESSION, 0, features, "claim_cost", 10, 1, 32,
        new BigDecimal("0.1"), BigDecimal.ZERO, sigma.signum() > 0 ? BigDecimal.ONE : BigDecimal.ZERO, sigma, new BigDecimal("0.00001"),
        new BigDecimal("0.34"));
  }

  private static PolicyDecision decide(Policy policy, Engine engine, Computation.FederatedTraining f) {
    return new PolicyEvaluator().evaluate(policy, new UsageRequest(OrgId.of("insurer-x"), new Purpose("risk-model"), engine,
        DatasetVersion.parse("hospital-a/claims@3"), "claims", ClaimsScenario.SCHEMA, f, ClaimsScenario.DURING, ClaimsScenario.JOB_TABLES));
  }

  @Test
  void theListedColumnsMayTrainOnTheFlEngine() {
    PolicyDecision d = decide(allowing(), Engine.FL, training(List.of("age", "length_of_stay"), "0"));
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertTrue(finding(d, "training").explanation().contains("sends only masked updates"), finding(d, "training").explanation());
  }

  @Test
  void aPolicyThatDoesNotListFlDeniesIt() {
    Policy teeOnly = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,", "\"minCohort\": 10, " + TRAINING));
    assertEquals(Outcome.DENY, decide(teeOnly, Engine.FL, training(List.of("age"), "0")).outcome());
  }

  @Test
  void theTeeEngineIsNotFederated() {
    PolicyDecision d = decide(allowing(), Engine.TEE, training(List.of("age"), "0"));
    assertEquals(Outcome.DENY, d.outcome());
    assertTrue(finding(d, "training:engine").explanation().contains("runs only on the fl engine"), finding(d, "training:engine").explanation());
  }

  @Test
  void aColumnNotListedMayNotTrainAModel() {
    PolicyDecision d = decide(allowing(), Engine.FL, training(List.of("age", "diagnosis"), "0"));
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:diagnosis").passed());
  }

  @Test
  void underABudgetOnlyNoisyTrainingIsAdmitted() {
    PolicyDecision plain = decide(budgeted(), Engine.FL, training(List.of("age"), "0"));
    assertEquals(Outcome.DENY, plain.outcome());
    assertTrue(finding(plain, "training:privacy").explanation().contains("adds no noise"), finding(plain, "training:privacy").explanation());
    PolicyDecision noisy = decide(budgeted(), Engine.FL, training(List.of("age"), "0.8"));
    assertEquals(Outcome.PERMIT, noisy.outcome(), noisy.violations().toString());
    assertTrue(finding(noisy, "privacy-budget").passed());
  }
}
