package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.math.BigDecimal;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo policy spends epsilon 1 per query; the coordinator records a debit of 0.1 (or of no use at all), so the
 * ledger would show budget left that was spent. The owner compares the debit with its own policy and refuses.
 */
class LyingCoordinatorCannotUnderstateTheEpsilonDebit {
  @TempDir Path dir;

  @Test
  void aDebitBelowEpsilonPerQueryIsRefused() {
    try (LyingCoordinator liar = new LyingCoordinator(dir)) {
      var policy = liar.policy;
      assertEquals(0, BigDecimal.ONE.compareTo(policy.privacy().orElseThrow().epsilonPerQuery()));
      long beforeLie = liar.deployment.ledger().size();
      JobRequest job = liar.submit();
      liar.authorize(job, policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), new AuditEvent.Debit(1, new BigDecimal("0.1")));
      var refused = liar.dispatch(job, policy).refusal().orElseThrow(() -> new AssertionError("a key was released for an understated debit"));
      assertEquals(Reason.DEBIT_UNDERSTATED, refused.reason(), refused.getMessage());
      assertTrue(refused.getMessage().contains("epsilon 0.1") && refused.getMessage().contains("epsilonPerQuery 1"), refused.getMessage());
      assertFalse(liar.keyReleased(job.id()));
      assertEquals("debit-understated", liar.refusals(job.id()).get(0).reason());

      var failure = liar.verify().failure().orElseThrow(() -> new AssertionError("verify passed an understated debit"));
      assertEquals(beforeLie + 1, failure.index(), failure.toString());
      assertTrue(failure.reason().contains("less than the policy's epsilonPerQuery 1"), failure.reason());
    }
  }

  @Test
  void aDebitOfNoUseIsRefused() {
    try (LyingCoordinator liar = new LyingCoordinator(dir)) {
      JobRequest job = liar.submit();
      liar.authorize(job, liar.policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), new AuditEvent.Debit(0, BigDecimal.ONE));
      var refused = liar.dispatch(job, liar.policy).refusal().orElseThrow(() -> new AssertionError("a key was released for a free use"));
      assertEquals(Reason.DEBIT_UNDERSTATED, refused.reason(), refused.getMessage());
      assertFalse(liar.keyReleased(job.id()));
    }
  }
}
