package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.covenant.policy.PolicyDecision.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsentAndObligationsAreCarried {
  private static final String SQL = "SELECT sex, COUNT(*) FROM claims GROUP BY sex";

  private static Policy with(String extra) {
    return Policy.parse(ClaimsScenario.POLICY.replace("\"minCohort\": 10,", "\"minCohort\": 10, " + extra + ","));
  }

  @Test
  void withdrawnSubjectsAreListedForTheEngine() {
    String d1 = "1".repeat(64), d9 = "9".repeat(64);
    Policy p = with("\"consent\": {\"subjectColumn\": \"patient_id\", \"excludedSubjects\": [\"" + d9 + "\", \"" + d1 + "\", \"" + d9 + "\"]}");
    assertEquals(List.of(d1, d9), p.consent().orElseThrow().excludedSubjects());
    PolicyDecision d = new PolicyEvaluator().evaluate(p, request(SQL));
    assertEquals(Outcome.PERMIT, d.outcome());
    assertEquals("2 data subjects have withdrawn consent; the engine removes rows whose patient_id is one of them before computing",
        finding(d, "consent").explanation());
  }

  @Test
  void rawSubjectIdsAreRefusedSoThePolicyNeverCarriesThem() {
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.covenant.core.error.MalformedInputException.class,
        () -> with("\"consent\": {\"subjectColumn\": \"patient_id\", \"excludedSubjects\": [\"P00000000002a\"]}"));
    org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("consent.excludedSubjects"), e.getMessage());
  }

  @Test
  void consentKeyedByAMissingColumnIsDenied() {
    Policy p = with("\"consent\": {\"subjectColumn\": \"person_id\", \"excludedSubjects\": [\"" + "1".repeat(64) + "\"]}");
    PolicyDecision d = new PolicyEvaluator().evaluate(p, request(SQL));
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "consent").passed());
  }

  @Test
  void obligationsAreStatedInTheDecision() {
    Policy p = with("\"obligations\": [\"no-reidentification\", \"delete-after-90-days\"]");
    PolicyDecision d = new PolicyEvaluator().evaluate(p, request(SQL));
    assertEquals(Outcome.PERMIT, d.outcome());
    assertEquals("by using the data insurer-x takes on these duties: delete-after-90-days, no-reidentification",
        finding(d, "obligations").explanation());
  }
}
