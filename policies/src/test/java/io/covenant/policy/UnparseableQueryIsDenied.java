package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.decide;
import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.api.Test;

class UnparseableQueryIsDenied {

  @Test
  void parserPositionIsReported() {
    PolicyDecision d = decide("SELECT sex, COUNT(*)\nFROM claims\nGROUP BY BY sex");
    assertEquals(Outcome.DENY, d.outcome());
    PolicyDecision.Finding f = finding(d, "sql");
    assertFalse(f.passed());
    assertEquals("the query could not be parsed: unexpected \"sex\" at line 3, column 13", f.explanation());
    assertTrue(d.findings().stream().noneMatch(x -> x.rule().startsWith("column:")), "no column verdicts on a query that was not read");
  }

  @Test
  void truncatedQuery() {
    PolicyDecision.Finding f = finding(decide("SELECT sex, COUNT(*) FROM"), "sql");
    assertTrue(f.explanation().startsWith("the query could not be parsed: "), f.explanation());
  }

  @Test
  void onlyOneSelectStatement() {
    assertEquals("only a SELECT query may run on shared data, but this is a DROP statement",
        finding(decide("DROP TABLE claims"), "sql").explanation());
    assertEquals("the request holds 2 SQL statements; submit exactly one SELECT query",
        finding(decide("SELECT COUNT(*) FROM claims; DELETE FROM claims"), "sql").explanation());
  }

  @Test
  void queryOverAnotherTable() {
    assertEquals("the query does not read table claims (dataset hospital-a/claims); name it in FROM",
        finding(decide("SELECT COUNT(*) FROM visits"), "sql").explanation());
  }

  @Test
  void absurdNestingIsRefusedWithoutCrashing() {
    String deep = "SELECT COUNT(*) FROM claims WHERE age > " + "(".repeat(5000) + "1" + ")".repeat(5000);
    assertEquals(Outcome.DENY, decide(deep).outcome());
    String longChain = "SELECT SUM(claim_cost" + " + claim_cost".repeat(3000) + ") FROM claims";
    assertEquals(Outcome.DENY, decide(longChain).outcome());
  }
}
