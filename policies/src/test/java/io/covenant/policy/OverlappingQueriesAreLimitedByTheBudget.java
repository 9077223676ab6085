package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The differencing attack: two aggregates whose cohorts differ by one person (everyone aged 60-64, then 60-65 when
 * one person is 65) each pass every per-query rule, and their difference is that person's value. Each query alone is
 * lawful, so the evaluator cannot refuse the pair by its SQL: without a budget both are PERMITTED and the attack
 * works on exact answers (tee-worker's DifferencingIsDefeatedByNoise shows the numbers). A privacy budget makes the
 * engine noise each answer and limits how many such answers exist at all.
 */
class OverlappingQueriesAreLimitedByTheBudget {
  private static final String WIDE = "SELECT SUM(claim_cost) FROM claims WHERE age >= 60 AND age <= 65";
  private static final String NARROW = "SELECT SUM(claim_cost) FROM claims WHERE age >= 60 AND age <= 64";
  private final PolicyEvaluator evaluator = new PolicyEvaluator();

  @Test
  void withoutABudgetBothQueriesArePermittedAndNothingIsNoised() {
    for (String sql : new String[] {WIDE, NARROW}) {
      PolicyDecision d = evaluator.evaluate(ClaimsScenario.policy(), request(sql));
      assertEquals(Outcome.PERMIT, d.outcome(), d.summary());
      // Exact because the scenario's owner opted out of the budget, and the decision says so.
      assertTrue(finding(d, "privacy:exact").passed());
      assertTrue(finding(d, "privacy:exact").explanation().contains("carry no noise"), finding(d, "privacy:exact").explanation());
      assertTrue(d.findings().stream().noneMatch(f -> f.rule().startsWith("privacy") && !f.rule().equals("privacy:exact")), d.findings()::toString);
      // The only output control left is the cohort rule, which both wide cohorts pass.
      assertTrue(finding(d, "min-cohort").passed());
    }
  }

  @Test
  void withABudgetEachQuerySpendsAndThePairCannotBeRepeatedForever() {
    Policy p = ClaimsScenario.withBudget(); // 0.5 per query, 2 in total
    BigDecimal spent = BigDecimal.ZERO;
    int permitted = 0;
    for (int i = 0; i < 10; i++) {
      String sql = i % 2 == 0 ? WIDE : NARROW;
      PolicyDecision d = evaluator.evaluate(p, request(sql), new UsageHistory(i, spent));
      if (d.outcome() == Outcome.DENY) {
        PolicyDecision.Finding f = finding(d, "privacy-budget");
        assertFalse(f.passed());
        assertTrue(f.explanation().startsWith("the privacy budget is spent: 2.0 of 2 used"), f.explanation());
        assertEquals(1, d.violations().size());
        break;
      }
      assertTrue(finding(d, "privacy:bounds").passed());
      assertTrue(finding(d, "privacy-budget").explanation().contains("the engine adds noise"));
      permitted++;
      spent = spent.add(p.privacy().orElseThrow().epsilonPerQuery());
    }
    // Two pairs at most: averaging many noisy differences to cancel the noise is exactly what the total forbids.
    assertEquals(4, permitted);
  }
}
