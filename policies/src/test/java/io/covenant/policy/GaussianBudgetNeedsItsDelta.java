package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A budget spent with the gaussian mechanism is (epsilon, delta)-DP: the policy must give its delta per query (and may
 * not give one to the Laplace mechanism, which spends none); delta is bounded; the delta goes on the ledger with the
 * limits; Laplace budgets keep the canonical form and hash they had; and a joint query's policies must agree on the
 * mechanism.
 */
class GaussianBudgetNeedsItsDelta {
  private static final String BUDGET = "\"privacy\": { \"epsilonPerQuery\": 1, \"epsilonTotal\": 5, \"bounds\": {\"claim_cost\": [0, 200000]}%s },";

  private static String policy(String extra) {
    return ClaimsScenario.POLICY.replace("\"privacy\": { \"exact\": true, \"orderStatistics\": true },", BUDGET.formatted(extra));
  }

  @Test
  void aGaussianBudgetCarriesItsDeltaToTheLedger() {
    Policy p = Policy.parse(policy(", \"mechanism\": \"gaussian\", \"deltaPerQuery\": 0.000001"));
    assertEquals(Policy.PrivacyBudget.Mechanism.GAUSSIAN, p.privacy().orElseThrow().mechanism());
    assertEquals(Optional.of(new BigDecimal("0.000001")), p.ledgerLimits().deltaPerQuery());
    assertEquals(p, Policy.parse(p.toJson().encode()));
    assertEquals(p, io.covenant.policy.odrl.OdrlMapping.fromJsonLd(io.covenant.policy.odrl.OdrlMapping.toJsonLd(p)), "the ODRL form keeps the mechanism and delta");
    assertEquals(OutputControls.forPolicies(List.of(p)).privacy().orElseThrow().delta(), Optional.of(new BigDecimal("0.000001")));
  }

  @Test
  void aLaplaceBudgetKeepsItsFormAndHash() {
    Policy p = Policy.parse(policy(""));
    assertEquals(Policy.PrivacyBudget.Mechanism.LAPLACE, p.privacy().orElseThrow().mechanism());
    assertFalse(p.toJson().encode().contains("mechanism") || p.toJson().encode().contains("delta"), p.toJson().encode());
    assertEquals(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), Policy.parse(policy(", \"mechanism\": \"laplace\"")).hash(io.covenant.core.crypto.CryptoSuite.INTL), "naming the default changes nothing");
    assertEquals(Optional.empty(), p.ledgerLimits().deltaPerQuery());
  }

  @Test
  void aMissingMisplacedOrLargeDeltaIsRefusedByName() {
    MalformedInputException missing = assertThrows(MalformedInputException.class, () -> Policy.parse(policy(", \"mechanism\": \"gaussian\"")));
    assertTrue(missing.getMessage().contains("privacy.deltaPerQuery") && missing.getMessage().contains("is missing"), missing.getMessage());
    MalformedInputException laplace = assertThrows(MalformedInputException.class, () -> Policy.parse(policy(", \"deltaPerQuery\": 0.000001")));
    assertTrue(laplace.getMessage().contains("the laplace mechanism spends no delta"), laplace.getMessage());
    MalformedInputException large = assertThrows(MalformedInputException.class,
        () -> Policy.parse(policy(", \"mechanism\": \"gaussian\", \"deltaPerQuery\": 0.01")));
    assertTrue(large.getMessage().contains("at most 0.0001"), large.getMessage());
    MalformedInputException unknown = assertThrows(MalformedInputException.class, () -> Policy.parse(policy(", \"mechanism\": \"exponential\"")));
    assertTrue(unknown.getMessage().contains("use laplace or gaussian"), unknown.getMessage());
  }

  @Test
  void ownersMustAgreeOnTheMechanism() {
    Policy gaussian = Policy.parse(policy(", \"mechanism\": \"gaussian\", \"deltaPerQuery\": 0.000001"));
    Policy laplace = Policy.parse(policy(""));
    MalformedInputException e = assertThrows(MalformedInputException.class, () -> OutputControls.forPolicies(List.of(gaussian, laplace)));
    assertTrue(e.getMessage().contains("different noise mechanisms"), e.getMessage());
  }
}
