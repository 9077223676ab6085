package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner revokes its policy; the coordinator authorises a job under it anyway (and dispatches one it had authorised
 * before the revocation). The owner reads POLICY_REVOKED on the ledger itself and releases nothing under that policy.
 */
class LyingCoordinatorCannotUseARevokedPolicy {
  @TempDir Path dir;

  @Test
  void noKeyIsReleasedUnderARevokedPolicy() {
    try (LyingCoordinator liar = new LyingCoordinator(dir)) {
      var policy = liar.policy;
      JobRequest authorisedBefore = liar.submitAndAuthorize(policy);
      liar.deployment.owner(LyingCoordinator.HOSPITAL).revokePolicy(liar.claims.dataset(), "consent withdrawn by the ethics board");
      long beforeLie = liar.deployment.ledger().size();
      JobRequest authorisedAfter = liar.submitAndAuthorize(policy);

      for (JobRequest job : new JobRequest[] {authorisedBefore, authorisedAfter}) {
        var refused = liar.dispatch(job, policy).refusal().orElseThrow(() -> new AssertionError("a key was released under a revoked policy"));
        assertEquals(Reason.POLICY_REVOKED, refused.reason(), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("hospital-a refuses") && refused.getMessage().contains("revoked"), refused.getMessage());
        assertFalse(liar.keyReleased(job.id()));
        assertEquals("policy-revoked", liar.refusals(job.id()).get(0).reason());
      }

      var failure = liar.verify().failure().orElseThrow(() -> new AssertionError("verify passed an authorisation under a revoked policy"));
      assertEquals(beforeLie + 1, failure.index(), failure.toString());
      assertTrue(failure.reason().contains("revoked"), failure.reason());
    }
  }
}
