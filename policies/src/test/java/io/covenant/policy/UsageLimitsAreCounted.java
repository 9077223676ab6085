package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.policy.PolicyDecision.Outcome;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** maxUses and the differential-privacy budget, counted from the history the caller supplies. */
class UsageLimitsAreCounted {
  private static final String SQL = "SELECT sex, COUNT(*) FROM claims GROUP BY sex";
  private final Policy policy = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,",
      "\"minCohort\": 10, \"maxUses\": 3, \"privacy\": {\"epsilonPerQuery\": 0.50, \"epsilonTotal\": 1.0E+0},"));
  private final PolicyEvaluator evaluator = new PolicyEvaluator();

  @Test
  void budgetNumbersAreCanonical() {
    assertEquals("0.5", policy.privacy().orElseThrow().epsilonPerQuery().toPlainString());
    assertTrue(policy.toJson().encode().contains("\"privacy\":{\"epsilonPerQuery\":0.5,\"epsilonTotal\":1}"), policy.toJson().encode());
    assertEquals(policy, Policy.parse(policy.toJson().encode()));
  }

  @Test
  void withinLimitsIsPermitted() {
    PolicyDecision d = evaluator.evaluate(policy, request(SQL), new UsageHistory(2, new BigDecimal("0.5")));
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertEquals("this is use 3 of at most 3", finding(d, "max-uses").explanation());
    assertEquals("the query spends epsilon 0.5 of the 0.5 left (of 1); the engine adds noise to match", finding(d, "privacy-budget").explanation());
  }

  @Test
  void usesExhaustedIsDenied() {
    PolicyDecision d = evaluator.evaluate(policy, request(SQL), new UsageHistory(3, BigDecimal.ZERO));
    assertEquals(Outcome.DENY, d.outcome());
    assertEquals("the policy allows 3 uses and 3 have been made", finding(d, "max-uses").explanation());
  }

  @Test
  void budgetExhaustedIsDenied() {
    PolicyDecision d = evaluator.evaluate(policy, request(SQL), new UsageHistory(1, new BigDecimal("0.75")));
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "privacy-budget");
    assertFalse(f.passed());
    assertEquals("the privacy budget is spent: 0.75 of 1 used, and each query needs 0.5", f.explanation());
  }

  @Test
  void withoutHistoryTheFindingSaysSo() {
    PolicyDecision d = evaluator.evaluate(policy, request(SQL));
    assertTrue(finding(d, "max-uses").explanation().contains("no earlier uses were reported"));
  }

  @Test
  void budgetMustBeSane() {
    String m = assertThrows(MalformedInputException.class, () -> Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,",
        "\"minCohort\": 10, \"privacy\": {\"epsilonPerQuery\": 2, \"epsilonTotal\": 1},"))).getMessage();
    assertEquals("policy field 'privacy.epsilonPerQuery' (2) must not exceed epsilonTotal (1)", m);
    m = assertThrows(MalformedInputException.class, () -> Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,",
        "\"minCohort\": 10, \"maxUses\": 0,"))).getMessage();
    assertEquals("policy field 'maxUses' must be 1 or more", m);
  }
}
