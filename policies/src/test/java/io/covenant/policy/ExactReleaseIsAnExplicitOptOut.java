package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.policy.PolicyDecision.Outcome;
import io.covenant.policy.odrl.OdrlMapping;
import org.junit.jupiter.api.Test;

/**
 * No exact leaks by default: without a budget, a query that touches a sensitive column is denied ({@code privacy:exact})
 * unless the owner opts out with {@code privacy.exact}, which the policy itself then warns about. Order statistics of
 * sensitive columns need {@code privacy.orderStatistics} on top.
 */
class ExactReleaseIsAnExplicitOptOut {
  private final PolicyEvaluator evaluator = new PolicyEvaluator();
  private final Policy noBudget = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY);
  private final Policy exact = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,", "\"minCohort\": 10, \"privacy\": {\"exact\": true},"));

  @Test
  void withoutABudgetASensitiveColumnIsDeniedWhereverItIsUsed() {
    for (String sql : new String[] {
        "SELECT sex, SUM(claim_cost) FROM claims GROUP BY sex",
        "SELECT diagnosis, COUNT(*) FROM claims GROUP BY diagnosis", // diagnosis is tagged sensitive in the schema
        "SELECT sex, COUNT(*) FROM claims WHERE length_of_stay > 30 GROUP BY sex"}) { // ruled aggregate: the filter is denied too
      PolicyDecision d = evaluator.evaluate(noBudget, request(sql));
      assertEquals(Outcome.DENY, d.outcome(), sql);
      PolicyDecision.Finding f = finding(d, "privacy:exact");
      assertFalse(f.passed());
      assertTrue(f.explanation().contains("give that person's value") && f.explanation().contains("privacy.exact: true"), f.explanation());
    }
    PolicyDecision counts = evaluator.evaluate(noBudget, request("SELECT sex, COUNT(*) FROM claims GROUP BY sex"));
    assertEquals(Outcome.PERMIT, counts.outcome(), "counts over non-sensitive columns need no budget: " + counts.violations());
  }

  @Test
  void theOptOutPermitsExactStatisticsAndSaysWhatItGivesAway() {
    PolicyDecision d = evaluator.evaluate(exact, request("SELECT sex, SUM(claim_cost) FROM claims GROUP BY sex"));
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertTrue(finding(d, "privacy:exact").passed());
    assertEquals(1, exact.warnings().size());
    assertTrue(exact.warnings().getFirst().startsWith("privacy.exact is true"), exact.warnings().getFirst());
    assertTrue(exact.warnings().getFirst().contains("differ by one person"), exact.warnings().getFirst());
    assertTrue(Policy.parse(ClaimsScenario.WITHOUT_PRIVACY).warnings().getFirst().contains("privacy:exact"));
    assertTrue(ClaimsScenario.withBudget().warnings().isEmpty());
  }

  @Test
  void maxOfASensitiveColumnNeedsOrderStatistics() {
    String sql = "SELECT sex, MAX(claim_cost) FROM claims GROUP BY sex";
    PolicyDecision denied = evaluator.evaluate(exact, request(sql));
    assertEquals(Outcome.DENY, denied.outcome());
    assertTrue(finding(denied, "privacy:order-statistics").explanation().startsWith("MAX(claim_cost) returns one record's value"));
    Policy allowing = Policy.parse(ClaimsScenario.POLICY); // exact and orderStatistics
    assertEquals(Outcome.PERMIT, evaluator.evaluate(allowing, request(sql)).outcome());
    assertEquals(Outcome.PERMIT, evaluator.evaluate(exact, request("SELECT sex, MAX(region) FROM claims GROUP BY sex")).outcome(),
        "region is plain and public, not sensitive");
  }

  @Test
  void underABudgetOrderStatisticsAreNoisedOnlyWhenAllowed() {
    String sql = "SELECT sex, MEDIAN(claim_cost) FROM claims GROUP BY sex";
    PolicyDecision refused = evaluator.evaluate(ClaimsScenario.withBudget(), request(sql));
    assertFalse(finding(refused, "privacy:order-statistics").passed());
    Policy noisedOrder = Policy.parse(ClaimsScenario.withBudget().toJson().encode().replace("\"privacy\":{", "\"privacy\":{\"orderStatistics\":true,"));
    PolicyDecision d = evaluator.evaluate(noisedOrder, request(sql));
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertTrue(finding(d, "privacy:bounds").explanation().contains("clamps claim_cost to [0, 200000]"));
  }

  @Test
  void exactAndABudgetTogetherAreRejectedAndTheFlagsRoundTrip() {
    String both = ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10,",
        "\"minCohort\": 10, \"privacy\": {\"exact\": true, \"epsilonPerQuery\": 1, \"epsilonTotal\": 2},");
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> Policy.parse(both));
    assertTrue(e.getMessage().contains("privacy.exact") && e.getMessage().contains("not both"), e.getMessage());
    assertTrue(exact.toJson().encode().contains("\"privacy\":{\"exact\":true}"), exact.toJson().encode());
    assertEquals(exact, Policy.parse(exact.toJson().encode()));
    Policy allowing = Policy.parse(ClaimsScenario.POLICY);
    assertEquals(allowing, OdrlMapping.fromJsonLd(OdrlMapping.toJsonLd(allowing)));
  }
}
