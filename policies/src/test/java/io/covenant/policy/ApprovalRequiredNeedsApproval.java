package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.policy.PolicyDecision.Outcome;
import org.junit.jupiter.api.Test;

class ApprovalRequiredNeedsApproval {
  private final Policy policy = Policy.parse(ClaimsScenario.POLICY.replace("\"required\": false", "\"required\": true"));

  @Test
  void lawfulRequestWaitsForTheOwner() {
    PolicyDecision d = new PolicyEvaluator().evaluate(policy, request("SELECT sex, COUNT(*) FROM claims GROUP BY sex"));
    assertEquals(Outcome.NEEDS_APPROVAL, d.outcome());
    assertTrue(d.violations().isEmpty());
    assertTrue(finding(d, "approval").explanation().contains("waits for that approval"));
    assertTrue(d.summary().startsWith("Needs the owner's approval"), d.summary());
  }

  @Test
  void unlawfulRequestIsDeniedNotSentForApproval() {
    PolicyDecision d = new PolicyEvaluator().evaluate(policy, request("SELECT patient_id FROM claims"));
    assertEquals(Outcome.DENY, d.outcome());
  }
}
