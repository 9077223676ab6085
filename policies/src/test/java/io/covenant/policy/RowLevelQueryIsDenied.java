package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.api.Test;

class RowLevelQueryIsDenied {

  @Test
  void rowsOfDimensionColumnsAreDenied() {
    PolicyDecision d = decide("SELECT age, sex FROM claims");
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "aggregation");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("individual rows") && f.explanation().contains("age (dimension)"), f.explanation());
  }

  @Test
  void distinctIsStillRowLevel() {
    assertEquals(Outcome.DENY, decide("SELECT DISTINCT diagnosis FROM claims").outcome());
  }

  @Test
  void rowsOfPlainColumnsArePermitted() {
    PolicyDecision d = decide("SELECT region FROM claims ORDER BY region");
    assertEquals(Outcome.PERMIT, d.outcome(), d.summary());
    assertTrue(finding(d, "aggregation").passed());
  }

  @Test
  void rowsOfPlainColumnsFilteredOnAProtectedColumnAreDenied() {
    // One row per matching record would count a cohort the minimum-cohort rule can no longer protect.
    PolicyDecision d = decide("SELECT region FROM claims WHERE age > 95 AND sex = 'f'");
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "aggregation").passed());
  }
}
