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
import org.junit.jupiter.api.Test;

/**
 * The policy language has no rule yet for which columns may train a model, so a training request is denied under
 * every policy (fail closed), with a finding that says so, even where the same columns may be aggregated.
 */
class ModelTrainingIsDeniedUntilPoliciesCanAdmitIt {
  @Test
  void aTrainingRequestIsDenied() {
    var training = new Computation.ModelTraining("SELECT age, claim_cost FROM claims", "claim_cost", Computation.ModelTraining.SQUARED_ERROR, 10, 3,
        new BigDecimal("0.3"));
    var request = new UsageRequest(OrgId.of("insurer-x"), new Purpose("risk-model"), Engine.TEE, DatasetVersion.parse("hospital-a/claims@3"),
        "claims", ClaimsScenario.SCHEMA, training, ClaimsScenario.DURING, ClaimsScenario.JOB_TABLES);
    PolicyDecision d = new PolicyEvaluator().evaluate(ClaimsScenario.policy(), request);
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "computation");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("model training (reg:squarederror) is not admitted by any policy yet"), f.explanation());
  }

  @Test
  void aTrainingSpecificationSurvivesItsJsonForm() {
    var training = new Computation.ModelTraining("SELECT 1 AS a, 2 AS b", "b", Computation.ModelTraining.BINARY_LOGISTIC, 7, 2, new BigDecimal("0.10"));
    assertEquals(training, Computation.fromJson(training.toJson()));
    assertEquals(training.hash(), Computation.fromJson(training.toJson()).hash());
  }
}
