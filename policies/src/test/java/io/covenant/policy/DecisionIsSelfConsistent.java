package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.error.MalformedInputException;
import io.covenant.policy.PolicyDecision.Finding;
import io.covenant.policy.PolicyDecision.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionIsSelfConsistent {

  @Test
  void denyNeedsAFailedFindingAndPermitMayHaveNone() {
    Finding failed = new Finding("purpose", false, "the purpose marketing is not allowed");
    Finding passed = new Finding("assignee", true, "insurer-x is one of the organisations the policy allows");
    assertThrows(MalformedInputException.class, () -> new PolicyDecision(Outcome.PERMIT, List.of(passed, failed)));
    assertThrows(MalformedInputException.class, () -> new PolicyDecision(Outcome.NEEDS_APPROVAL, List.of(failed)));
    assertThrows(MalformedInputException.class, () -> new PolicyDecision(Outcome.DENY, List.of(passed)));
    assertThrows(MalformedInputException.class, () -> new Finding("purpose", false, " "));
  }

  @Test
  void roundTripsThroughJson() {
    PolicyDecision d = ClaimsScenario.decide("SELECT patient_id FROM claims");
    assertEquals(d, PolicyDecision.fromJson(d.toJson()));
    assertEquals("deny", d.toJson().string("outcome"));
  }
}
