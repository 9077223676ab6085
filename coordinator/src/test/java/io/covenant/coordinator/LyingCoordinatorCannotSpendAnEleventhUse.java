package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator authorises the 11th use of a policy that allows 10, signing JOB_AUTHORIZED itself with an honest
 * looking debit. The owner counts the debits on the ledger up to that authorisation, refuses the key and says so on
 * the ledger; the job fails naming the owner and the rule; an auditor's {@code verify} names the overspent policy.
 */
class LyingCoordinatorCannotSpendAnEleventhUse {
  @TempDir Path dir;

  @Test
  void theEleventhUseGetsNoKeyAndVerifyNamesThePolicy() {
    try (LyingCoordinator liar = new LyingCoordinator(dir, "maxUses", 10)) {
      var policy = liar.policy;
      assertEquals(10, policy.maxUses().getAsLong());
      for (int i = 1; i < 10; i++) liar.submitAndAuthorize(policy);

      // The tenth use is within the policy: the owner releases its key (so the refusal below is not a blanket one).
      JobRequest tenth = liar.submitAndAuthorize(policy);
      assertTrue(liar.dispatch(tenth, policy).refusal().isEmpty(), "the tenth use is allowed");
      assertTrue(liar.keyReleased(tenth.id()));

      long beforeEleventh = liar.deployment.ledger().size();
      JobRequest eleventh = liar.submitAndAuthorize(policy);
      long eleventhAuthorisation = beforeEleventh + 1;
      var refused = liar.dispatch(eleventh, policy).refusal().orElseThrow(() -> new AssertionError("the 11th use got its key"));
      assertEquals(Reason.USES_EXHAUSTED, refused.reason(), refused.getMessage());
      assertTrue(refused.getMessage().startsWith("hospital-a refuses"), refused.getMessage());
      assertTrue(refused.getMessage().contains("11 authorisations") && refused.getMessage().contains("allows 10 uses"), refused.getMessage());

      assertFalse(liar.keyReleased(eleventh.id()), "no key may be released for the 11th use");
      List<AuditEvent.KeyReleaseRefused> onLedger = liar.refusals(eleventh.id());
      assertEquals(1, onLedger.size(), "the owner's refusal is on the ledger, signed by the owner");
      assertEquals("uses-exhausted", onLedger.get(0).reason());
      var events = liar.events(eleventh.id());
      var failed = assertInstanceOf(AuditEvent.JobFailed.class, events.get(events.size() - 1));
      assertTrue(failed.reason().contains("hospital-a") && failed.reason().contains("allows 10 uses"), failed.reason());

      var report = liar.verify();
      assertFalse(report.ok(), "verify must catch the overspent policy");
      var failure = report.failure().orElseThrow();
      assertEquals(eleventhAuthorisation, failure.index(), failure.toString());
      assertEquals("JOB_AUTHORIZED", failure.eventType());
      assertTrue(failure.reason().contains("overspends policy " + policy.hash(io.covenant.core.crypto.CryptoSuite.INTL).shortForm()) && failure.reason().contains("use 11"), failure.reason());
    }
  }
}
