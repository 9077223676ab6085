package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.policy.PolicyDecision.Outcome;
import io.covenant.policy.odrl.OdrlMapping;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Model training is admitted only where the owner wrote a {@code training} section: the feature query may output
 * (train on, or predict) only the columns it lists, other uses follow the column rules, and a policy with a privacy
 * budget admits none (a model is not differentially private). Without the section every training is denied (fail
 * closed), even where the same columns may be aggregated.
 */
class ModelTrainingNeedsThePolicysTrainingSection {
  private static final String FEATURES = "SELECT age, length_of_stay, claim_cost FROM claims WHERE admission_date >= DATE '2026-01-01'";
  private static final String TRAINING = "\"training\": { \"columns\": [\"age\", \"length_of_stay\", \"claim_cost\"], \"minRows\": 500 }, ";

  private static Policy allowing() {
    return Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,", "\"minCohort\": 10, " + TRAINING));
  }

  private static UsageRequest request(String featureSql, Engine engine) {
    var training = new Computation.ModelTraining(featureSql, "claim_cost", Computation.ModelTraining.SQUARED_ERROR, 10, 3, new BigDecimal("0.3"));
    return new UsageRequest(OrgId.of("insurer-x"), new Purpose("risk-model"), engine, DatasetVersion.parse("hospital-a/claims@3"),
        "claims", ClaimsScenario.SCHEMA, training, ClaimsScenario.DURING, ClaimsScenario.JOB_TABLES);
  }

  private static PolicyDecision decide(Policy policy, String featureSql) {
    return new PolicyEvaluator().evaluate(policy, request(featureSql, Engine.TEE));
  }

  @Test
  void withoutATrainingSectionTrainingIsDenied() {
    PolicyDecision d = decide(ClaimsScenario.policy(), FEATURES);
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "training");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("not allowed by this policy: it has no training section"), f.explanation());
  }

  @Test
  void theListedColumnsMayTrainAModel() {
    PolicyDecision d = decide(allowing(), FEATURES);
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertTrue(finding(d, "training").explanation().contains("at least 500 rows"), finding(d, "training").explanation());
    assertTrue(finding(d, "column:claim_cost").explanation().contains("listed in training.columns"));
    assertTrue(finding(d, "column:admission_date").passed(), "a filter column may still choose rows");
  }

  @Test
  void aColumnNotListedMayNotTrainAModel() {
    PolicyDecision d = decide(allowing(), "SELECT age, diagnosis, claim_cost FROM claims");
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "column:diagnosis");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("not listed in training.columns"), f.explanation());
  }

  @Test
  void aNeverColumnStaysNeverOutsideTheSelectList() {
    PolicyDecision d = decide(allowing(), "SELECT age, claim_cost FROM claims WHERE patient_id <> 'x'");
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:patient_id").passed());
  }

  @Test
  void aPolicyWithAPrivacyBudgetAdmitsNoTraining() {
    Policy budgeted = Policy.parse(ClaimsScenario.withBudget().toJson().encode().replace("\"minCohort\":10,", "\"minCohort\":10," + TRAINING));
    assertTrue(budgeted.training().isPresent());
    PolicyDecision d = decide(budgeted, FEATURES);
    assertEquals(Outcome.DENY, d.outcome());
    assertTrue(finding(d, "training:privacy").explanation().contains("not differentially private"));
  }

  @Test
  void trainingRunsOnlyInTheTee() {
    Policy both = Policy.parse(allowing().toJson().encode().replace("\"engines\":[\"tee\"]", "\"engines\":[\"mpc\",\"tee\"]"));
    PolicyDecision d = new PolicyEvaluator().evaluate(both, request(FEATURES, Engine.MPC));
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "training:engine").passed());
  }

  @Test
  void theSectionIsCheckedHashedOnlyWhenPresentAndSurvivesOdrl() {
    Policy p = allowing();
    assertEquals(p, Policy.parse(p.toJson().encode()));
    assertEquals(p, OdrlMapping.fromJsonLd(OdrlMapping.toJsonLd(p)));
    assertFalse(ClaimsScenario.policy().toJson().has("training"), "a policy without training keeps the form (and hash) it had");
    var e = assertThrows(MalformedInputException.class, () -> Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,",
        "\"minCohort\": 10, \"training\": { \"columns\": [\"age\"], \"minRows\": 5 },")));
    assertTrue(e.getMessage().contains("training.minRows") && e.getMessage().contains("below minCohort"), e.getMessage());
    assertTrue(p.warnings().stream().anyMatch(w -> w.contains("membership inference")), p.warnings().toString());
  }

  @Test
  void aTrainingSpecificationSurvivesItsJsonForm() {
    var training = new Computation.ModelTraining("SELECT 1 AS a, 2 AS b", "b", Computation.ModelTraining.BINARY_LOGISTIC, 7, 2, new BigDecimal("0.10"));
    assertEquals(training, Computation.fromJson(training.toJson()));
    assertEquals(training.hash(io.covenant.core.crypto.CryptoSuite.INTL), Computation.fromJson(training.toJson()).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }
}
