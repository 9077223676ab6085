package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.catalogue.PolicyRecord;
import io.covenant.core.job.JobRequest;
import io.covenant.policy.Policy;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator binds the owner's dataset to a policy the owner never published (a generous one it wrote itself and
 * put in its own catalogue as the current policy), or to the owner's older policy that a newer one replaced. The owner
 * takes the policy from its own records and the ledger, not from the coordinator, and refuses both.
 */
class LyingCoordinatorCannotBindAPolicyTheOwnerDidNotPublish {
  @TempDir Path dir;

  @Test
  void aPolicyTheOwnerNeverPublishedIsRefusedEvenIfTheCatalogueHoldsIt() {
    try (LyingCoordinator liar = new LyingCoordinator(dir)) {
      String forgedJson = PolicyVariants.demoPolicyWith(LyingCoordinator.HOSPITAL, "maxUses", 1_000_000, "minCohort", 1);
      Policy forged = Policy.parse(forgedJson);
      // The coordinator's own database now says the forged policy is the one in force.
      liar.deployment.store().putPolicy(new PolicyRecord(forged.dataset(), forged.id(), forged.hash(io.covenant.core.crypto.CryptoSuite.INTL), forged.toJson().encode(), Instant.now()));
      assertEquals(forged.hash(io.covenant.core.crypto.CryptoSuite.INTL), liar.deployment.store().currentPolicy(liar.claims.dataset()).orElseThrow().hash());

      JobRequest job = liar.submit();
      liar.authorize(job, forged.hash(io.covenant.core.crypto.CryptoSuite.INTL), LyingCoordinator.honestDebit(forged));
      var refused = liar.dispatch(job, forged).refusal().orElseThrow(() -> new AssertionError("a key was released under a forged policy"));
      assertEquals(Reason.POLICY_NOT_PUBLISHED, refused.reason(), refused.getMessage());
      assertTrue(refused.getMessage().contains("hospital-a never published"), refused.getMessage());
      assertFalse(liar.keyReleased(job.id()));
      assertEquals("policy-not-published", liar.refusals(job.id()).get(0).reason());
      var failure = liar.verify().failure().orElseThrow(() -> new AssertionError("verify passed a binding to an unpublished policy"));
      assertTrue(failure.reason().contains("never published"), failure.reason());
    }
  }

  @Test
  void anOlderPolicyTheOwnerReplacedIsRefused() {
    try (LyingCoordinator liar = new LyingCoordinator(dir, "maxUses", 100)) {
      Policy older = liar.policy;
      Policy newer = liar.publishPolicy("maxUses", 3);
      JobRequest job = liar.submit();
      liar.authorize(job, older.hash(io.covenant.core.crypto.CryptoSuite.INTL), LyingCoordinator.honestDebit(older));
      var refused = liar.dispatch(job, older).refusal().orElseThrow(() -> new AssertionError("a key was released under a superseded policy"));
      assertEquals(Reason.POLICY_SUPERSEDED, refused.reason(), refused.getMessage());
      assertTrue(refused.getMessage().contains("current policy for hospital-a/claims is " + newer.hash(io.covenant.core.crypto.CryptoSuite.INTL).shortForm()), refused.getMessage());
      assertFalse(liar.keyReleased(job.id()));
      assertEquals("policy-superseded", liar.refusals(job.id()).get(0).reason());

      // Under the owner's current policy the same coordinator gets the key: the refusal was about the binding.
      JobRequest honest = liar.submitAndAuthorize(newer);
      assertTrue(liar.dispatch(honest, newer).refusal().isEmpty());
      assertTrue(liar.keyReleased(honest.id()));
    }
  }
}
