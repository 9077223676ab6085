package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy gives the insurer epsilon 2 at 1 per query and no use limit; the coordinator authorises a third query.
 * The owner sums the insurer's epsilon debits on the ledger, refuses the key, and {@code verify} names the budget.
 */
class LyingCoordinatorCannotOverspendThePrivacyBudget {
  @TempDir Path dir;

  @Test
  void theThirdQueryOfATwoEpsilonBudgetGetsNoKey() {
    try (LyingCoordinator liar = new LyingCoordinator(dir, "privacy", Json.obj("epsilonPerQuery", 1, "epsilonTotal", 2,
        "bounds", Json.obj("claim_cost", List.of(0, 50000), "length_of_stay", List.of(0, 60))))) {
      var policy = liar.policy;
      liar.submitAndAuthorize(policy);
      liar.submitAndAuthorize(policy);
      JobRequest third = liar.submitAndAuthorize(policy);
      var refused = liar.dispatch(third, policy).refusal().orElseThrow(() -> new AssertionError("the third query got its key"));
      assertEquals(Reason.BUDGET_EXHAUSTED, refused.reason(), refused.getMessage());
      assertTrue(refused.getMessage().contains("insurer-x has spent epsilon 3"), refused.getMessage());
      assertFalse(liar.keyReleased(third.id()));
      assertEquals("budget-exhausted", liar.refusals(third.id()).get(0).reason());

      var failure = liar.verify().failure().orElseThrow(() -> new AssertionError("verify passed an overspent budget"));
      assertTrue(failure.reason().contains("privacy budget of policy " + policy.hash(io.covenant.core.crypto.CryptoSuite.INTL).shortForm()) && failure.reason().contains("epsilon 3 of at most 2"),
          failure.reason());
    }
  }
}
