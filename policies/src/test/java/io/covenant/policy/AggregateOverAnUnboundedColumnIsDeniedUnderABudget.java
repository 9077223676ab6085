package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static io.covenant.policy.ClaimsScenario.withBudget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.policy.PolicyDecision.Outcome;
import io.covenant.policy.odrl.OdrlMapping;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Under a privacy budget the engine can only noise COUNT, SUM and AVG of columns clamped to declared bounds; the
 * evaluator denies the rest, naming privacy:bounds or privacy:aggregate.
 */
class AggregateOverAnUnboundedColumnIsDeniedUnderABudget {
  private final PolicyEvaluator evaluator = new PolicyEvaluator();

  private PolicyDecision decide(Policy p, String sql) {
    return evaluator.evaluate(p, request(sql));
  }

  @Test
  void boundedSumAndAverageArePermitted() {
    PolicyDecision d = decide(withBudget(), "SELECT sex, COUNT(*), SUM(claim_cost), AVG(length_of_stay) FROM claims GROUP BY sex");
    assertEquals(Outcome.PERMIT, d.outcome(), d.summary());
    assertTrue(finding(d, "privacy:bounds").explanation().contains("clamps claim_cost to [0, 200000], length_of_stay to [0, 365]"),
        finding(d, "privacy:bounds").explanation());
  }

  @Test
  void sumOverAColumnWithoutBoundsIsDenied() {
    Policy p = withBudget("0.5", "2", "{ \"length_of_stay\": [0, 365] }");
    PolicyDecision d = decide(p, "SELECT sex, SUM(claim_cost) FROM claims GROUP BY sex");
    assertEquals(Outcome.DENY, d.outcome());
    assertEquals(1, d.violations().size(), d.violations().toString());
    PolicyDecision.Finding f = finding(d, "privacy:bounds");
    assertFalse(f.passed());
    assertTrue(f.explanation().startsWith("the query sums or averages claim_cost, but the policy's privacy budget declares no bounds"), f.explanation());
  }

  @Test
  void withoutABudgetNoBoundsAreNeeded() {
    PolicyDecision d = ClaimsScenario.decide("SELECT sex, SUM(claim_cost) FROM claims GROUP BY sex");
    assertEquals(Outcome.PERMIT, d.outcome());
    assertTrue(ClaimsScenario.finding(d, "privacy:exact").passed()); // the scenario's owner opted out of the budget
    assertTrue(d.findings().stream().noneMatch(f -> f.rule().startsWith("privacy") && !f.rule().equals("privacy:exact")), d.findings()::toString);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      SELECT sex, MAX(claim_cost) FROM claims GROUP BY sex                                  | MAX(claim_cost) cannot be noised
      SELECT sex, MEDIAN(length_of_stay) FROM claims GROUP BY sex                           | MEDIAN(length_of_stay) cannot be noised
      SELECT sex, COUNT(*) FROM claims GROUP BY sex HAVING COUNT(*) > 20                    | COUNT(*) in HAVING would act on the exact value
      SELECT sex, SUM(claim_cost) FROM claims GROUP BY sex ORDER BY SUM(claim_cost)         | SUM(claim_cost) in ORDER BY
      SELECT sex, SUM(claim_cost * 2) FROM claims GROUP BY sex                              | SUM(an expression) is not a plain SUM(column)
      SELECT sex, COUNT(DISTINCT age) FROM claims GROUP BY sex                              | COUNT(DISTINCT age) is not a plain
      SELECT sex, SUM(claim_cost) FILTER (WHERE age > 90) FROM claims GROUP BY sex          | FILTER (WHERE ...) is not a plain
      SELECT m.tier, SUM(c.claim_cost) FROM claims c JOIN members m ON c.member_key = m.member_key GROUP BY m.tier | the query joins tables
      """)
  void whatCannotBeNoisedIsDenied(String sql, String phrase) {
    PolicyDecision d = decide(withBudget(), sql);
    assertEquals(Outcome.DENY, d.outcome(), d.findings().toString());
    PolicyDecision.Finding f = finding(d, "privacy:aggregate");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains(phrase), f.explanation());
  }

  @Test
  void boundsAreValidatedAndKeptInTheCanonicalForm() {
    Policy p = withBudget("0.50", "2.0", "{ \"claim_cost\": [0, 2E+5] }");
    assertEquals(new Policy.Bounds(BigDecimal.ZERO, new BigDecimal("200000")), p.privacy().orElseThrow().boundsOf("claim_cost").orElseThrow());
    assertEquals(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), Policy.parse(p.toJson().encode()).hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertEquals(p, OdrlMapping.fromJsonLd(OdrlMapping.toJsonLd(p)));
    assertEquals(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), withBudget("0.5", "2", "{ \"claim_cost\": [0.0, 200000] }").hash(io.covenant.core.crypto.CryptoSuite.INTL));

    MalformedInputException empty = assertThrows(MalformedInputException.class, () -> withBudget("0.5", "2", "{ \"claim_cost\": [5, 5] }"));
    assertTrue(empty.getMessage().contains("privacy.bounds.claim_cost"), empty.getMessage());
    MalformedInputException shape = assertThrows(MalformedInputException.class, () -> withBudget("0.5", "2", "{ \"claim_cost\": [0] }"));
    assertTrue(shape.getMessage().contains("must be a range of two numbers"), shape.getMessage());
    MalformedInputException name = assertThrows(MalformedInputException.class, () -> withBudget("0.5", "2", "{ \"Claim Cost\": [0, 1] }"));
    assertTrue(name.getMessage().contains("does not name a column"), name.getMessage());
  }
}
