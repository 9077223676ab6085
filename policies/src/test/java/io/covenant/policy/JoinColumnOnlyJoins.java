package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JoinColumnOnlyJoins {

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT m.tier, AVG(c.claim_cost) FROM claims c JOIN members m ON c.member_key = m.member_key GROUP BY m.tier",
      "SELECT m.tier, AVG(c.claim_cost) FROM claims AS c INNER JOIN members AS m ON (m.member_key = lower(c.member_key)) GROUP BY 1",
      "SELECT tier, COUNT(*) FROM claims JOIN members USING (member_key) GROUP BY tier",
      "SELECT m.tier, COUNT(*) FROM members m LEFT JOIN claims c ON m.member_key = c.member_key AND c.age > 40 GROUP BY m.tier"})
  void keyEqualityIsPermitted(String sql) {
    PolicyDecision d = decide(sql);
    assertEquals(Outcome.PERMIT, d.outcome(), d.violations().toString());
    assertEquals("column member_key is 'join' and the query joins on it", finding(d, "column:member_key").explanation());
  }

  @Test
  void joinKeyMayNotChooseRowsInWhere() {
    PolicyDecision d = decide("SELECT AVG(c.claim_cost) FROM claims c, members m WHERE c.member_key = m.member_key");
    assertEquals(Outcome.DENY, d.outcome());
    assertEquals("column member_key is 'join' but the query filters on it in WHERE; it may only be used as a key in JOIN ... ON a = b",
        finding(d, "column:member_key").explanation());
  }

  @Test
  void selfEqualityIsNotAJoinKey() {
    PolicyDecision d = decide("SELECT AVG(claim_cost) FROM claims c JOIN members m ON c.member_key = c.patient_id");
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:member_key").passed());
  }
}
