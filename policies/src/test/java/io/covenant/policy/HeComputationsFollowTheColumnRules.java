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
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The he engine's computations: a score reads its feature columns only inside the consumer's model (their rule must
 * allow aggregates), an aggregate groups by a dimension and sums an aggregate column; both only on the he engine, only
 * where the policy lists it, and never under a privacy budget (no differentially private noise). The policy's {@code he}
 * block (row limit, score noise) is part of its canonical form, and a policy without one keeps its hash.
 */
class HeComputationsFollowTheColumnRules {
  private static final String HE = "\"he\": { \"maxRows\": 5000, \"scoreNoise\": 0.5 }, ";

  private static Policy policy() {
    return Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"engines\": [\"tee\"]", "\"engines\": [\"tee\", \"he\"]")
        .replace("\"minCohort\": 10,", "\"minCohort\": 10, " + HE));
  }

  private static PolicyDecision decide(Policy policy, Computation c, Engine engine) {
    return new PolicyEvaluator().evaluate(policy, new UsageRequest(OrgId.of("insurer-x"), new Purpose("risk-model"), engine,
        DatasetVersion.parse("hospital-a/claims@3"), "claims", ClaimsScenario.SCHEMA, c, ClaimsScenario.DURING, ClaimsScenario.JOB_TABLES));
  }

  private static final Computation SCORE = new Computation.HeScore("pricing", List.of("length_of_stay", "claim_cost"), Computation.HeScore.LINEAR);
  private static final Computation AGGREGATE = new Computation.HeAggregate("diagnosis", List.of("I10", "J18.9"), Optional.of("claim_cost"));

  @Test
  void aScoreOverAggregateColumnsIsPermittedWithTheOwnersControls() {
    PolicyDecision d = decide(policy(), SCORE, Engine.HE);
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertTrue(finding(d, "he").explanation().contains("at most 5000 rows and adds noise of ±0.5"), finding(d, "he").explanation());
  }

  @Test
  void aScoreOverADimensionIsDenied() {
    PolicyDecision d = decide(policy(), new Computation.HeScore("pricing", List.of("age", "claim_cost"), Computation.HeScore.LOGISTIC), Engine.HE);
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:age").passed());
  }

  @Test
  void heComputationsRunOnlyOnTheHeEngine() {
    PolicyDecision d = decide(policy(), SCORE, Engine.TEE);
    assertEquals(Outcome.DENY, d.outcome());
    assertTrue(finding(d, "computation").explanation().contains("runs only on the he engine"), finding(d, "computation").explanation());
    PolicyDecision notListed = decide(ClaimsScenario.policy(), AGGREGATE, Engine.HE);
    assertEquals(Outcome.DENY, notListed.outcome(), "a policy that does not list the he engine refuses it");
  }

  @Test
  void anAggregateGroupsByADimensionAndSumsAnAggregateColumn() {
    assertEquals(Outcome.PERMIT, decide(policy(), AGGREGATE, Engine.HE).outcome());
    PolicyDecision d = decide(policy(), new Computation.HeAggregate("claim_cost", List.of("1"), Optional.empty()), Engine.HE);
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:claim_cost").passed());
  }

  @Test
  void theHeBlockIsCanonicalAndCheckedAndAPolicyWithoutOneKeepsItsHash() {
    Policy p = policy();
    assertEquals(p, Policy.parse(p.toJson().encode()));
    assertEquals(5000, p.heControls().maxRows());
    Policy plain = ClaimsScenario.policy();
    assertFalse(plain.toJson().has("he"));
    assertEquals(Policy.He.DEFAULT, plain.heControls());
    MalformedInputException bad = assertThrows(MalformedInputException.class,
        () -> Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,", "\"minCohort\": 10, \"he\": { \"maxRows\": 0 },")));
    assertTrue(bad.getMessage().contains("he.maxRows"), bad.getMessage());
  }

  @Test
  void heComputationsRoundTripThroughJson() {
    assertEquals(SCORE, Computation.fromJson(SCORE.toJson()));
    assertEquals(AGGREGATE, Computation.fromJson(AGGREGATE.toJson()));
    assertThrows(MalformedInputException.class, () -> new Computation.HeScore("pricing", List.of("age"), "probit"));
  }
}
