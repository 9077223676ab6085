package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.job.JobRequest;
import io.covenant.policy.Policy;
import io.covenant.tee.compute.PolicyMismatchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator authorises a job under the owner's budgeted policy (so the owner releases its key), then hands the
 * worker a weaker text of that policy for the dataset: minimum cohort 1 and no privacy budget, i.e. exact results.
 * The owner sealed its policy's hash with the key; the enclave refuses before loading a row, the job fails naming the
 * dataset and both hashes, and no result is committed. The honest dispatch of the same job shape still commits.
 */
class CoordinatorHandingAWeakerPolicyGetsNoResult {
  @TempDir Path dir;

  private static Policy weakened(Policy p) {
    return new Policy(p.id(), p.dataset(), p.assignees(), p.purposes(), p.engines(), p.tee(), p.validFrom(), p.validUntil(),
        1, p.columns(), p.defaultColumnRule(), p.approval(), p.maxUses(), p.obligations(), p.consent(), Optional.empty());
  }

  @Test
  void theWeakerPolicyTextFailsTheJobAndTheHonestOneCommits() {
    try (LyingCoordinator liar = new LyingCoordinator(dir)) {
      Policy authorised = liar.policy;
      assertTrue(authorised.privacy().isPresent() && authorised.minCohort() > 1, "the demo policy has a budget and a cohort");
      Policy weak = weakened(authorised);

      JobRequest attacked = liar.submitAndAuthorize(authorised);
      PolicyMismatchException x = assertThrows(PolicyMismatchException.class, () -> liar.dispatch(attacked, weak));
      assertEquals(liar.claims, x.dataset());
      assertTrue(liar.keyReleased(attacked.id()), "the owner released its key under its own policy");
      List<AuditEvent> events = liar.events(attacked.id());
      var failed = assertInstanceOf(AuditEvent.JobFailed.class, events.get(events.size() - 1));
      assertTrue(failed.reason().contains(liar.claims.toString()) && failed.reason().contains(weak.hash(io.covenant.core.crypto.CryptoSuite.INTL).hex())
          && failed.reason().contains(authorised.hash(io.covenant.core.crypto.CryptoSuite.INTL).hex()), failed.reason());
      assertFalse(events.stream().anyMatch(e -> e instanceof AuditEvent.ResultCommitted), "no result may be committed");

      JobRequest honest = liar.submitAndAuthorize(authorised);
      assertTrue(liar.dispatch(honest, authorised).refusal().isEmpty());
      assertTrue(liar.events(honest.id()).stream().anyMatch(e -> e instanceof AuditEvent.ResultCommitted), "the honest dispatch commits");
    }
  }
}
