package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SelectStarIsDenied {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT * FROM claims",
      "SELECT c.* FROM claims c",
      "SELECT claims.*, COUNT(*) FROM claims GROUP BY age",
      "SELECT * FROM claims c JOIN members m ON c.member_key = m.member_key"})
  void denied(String sql) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "select-star");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("with *"), f.explanation());
  }
}
