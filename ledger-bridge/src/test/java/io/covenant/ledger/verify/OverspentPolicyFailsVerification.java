package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.Debit;
import io.covenant.core.event.AuditEvent.PolicyBinding;
import io.covenant.core.event.AuditEvent.PolicyLimits;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.Scenario;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The verifier replays every debit against the limits each policy published and names the authorisation that
 * overspends: uses over maxUses (every consumer together), a consumer's epsilon over epsilonTotal, a debit under
 * epsilonPerQuery or of other than one use. A legacy authorisation (no debits) under a policy with limits counts as
 * one use and epsilonPerQuery, as the coordinator debited it.
 */
class OverspentPolicyFailsVerification {
  private final Scenario s = new Scenario();
  private final SigningKey logKey = SigningKey.generate();
  /** Hospital A's second policy, with limits: 2 uses, epsilon 1 per query and 3 in total. */
  private final Digest limited = Digest.sha256("policy a, limited".getBytes(StandardCharsets.UTF_8));
  private int jobs;

  private List<SignedEvent> history() {
    List<SignedEvent> h = new ArrayList<>(s.setup());
    h.add(s.sign(s.hospitalA, new AuditEvent.PolicyPublished(s.claimsA.dataset(), "claims-limited", limited,
        Optional.of(new PolicyLimits(OptionalLong.of(2), Optional.of(BigDecimal.ONE), Optional.of(new BigDecimal("3")))))));
    return h;
  }

  /** A job on both datasets, authorised with {@code debitA} under the limited policy (empty: a legacy entry). */
  private List<SignedEvent> job(Optional<Debit> debitA) {
    JobId j = new JobId(String.format("job-%016x", ++jobs));
    List<PolicyBinding> bindings = debitA
        .map(d -> List.of(new PolicyBinding(s.claimsA, limited, d), new PolicyBinding(s.claimsB, s.policyB, Debit.oneUse(BigDecimal.ZERO))))
        .orElse(List.of(new PolicyBinding(s.claimsA, limited), new PolicyBinding(s.claimsB, s.policyB)));
    return List.of(s.submitted(j, io.covenant.core.job.Engine.TEE), s.sign(s.operator, new AuditEvent.JobAuthorized(j, bindings)));
  }

  private VerificationReport.Failure failsAtTheLast(List<SignedEvent> events) {
    assertTrue(LedgerVerifier.verify(Scenario.export(Scenario.chain(events.subList(0, events.size() - 1)), logKey)).ok(), "the prefix is lawful");
    VerificationReport report = LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey));
    VerificationReport.Failure f = report.failure().orElseThrow(() -> new AssertionError("the overspending entry was accepted"));
    assertEquals(events.size() - 1, f.index(), f.reason());
    assertEquals("JOB_AUTHORIZED", f.eventType());
    return f;
  }

  @Test
  void aThirdUseOfATwoUsePolicyIsNamed() {
    List<SignedEvent> h = history();
    h.addAll(job(Optional.of(Debit.oneUse(BigDecimal.ONE))));
    h.addAll(job(Optional.of(Debit.oneUse(BigDecimal.ONE))));
    h.addAll(job(Optional.of(Debit.oneUse(BigDecimal.ONE))));
    var f = failsAtTheLast(h);
    assertTrue(f.reason().contains("overspends policy " + limited.shortForm() + "… of hospital-a/claims: this is use 3 of a policy that allows 2"), f.reason());
  }

  @Test
  void legacyAuthorisationsCountAsOneUseEach() {
    List<SignedEvent> h = history();
    h.addAll(job(Optional.empty()));
    h.addAll(job(Optional.empty()));
    h.addAll(job(Optional.empty()));
    assertTrue(failsAtTheLast(h).reason().contains("this is use 3"));
  }

  @Test
  void aConsumersEpsilonOverItsTotalIsNamed() {
    List<SignedEvent> h = history();
    h.addAll(job(Optional.of(Debit.oneUse(new BigDecimal("2.5")))));
    h.addAll(job(Optional.of(Debit.oneUse(BigDecimal.ONE))));
    var f = failsAtTheLast(h);
    assertTrue(f.reason().contains("overspends the privacy budget of policy " + limited.shortForm() + "… of hospital-a/claims for insurer-x: epsilon 3.5 of at most 3"),
        f.reason());
  }

  @Test
  void anUnderstatedDebitIsNamed() {
    List<SignedEvent> h = history();
    h.addAll(job(Optional.of(Debit.oneUse(new BigDecimal("0.25")))));
    assertTrue(failsAtTheLast(h).reason().contains("less than the policy's epsilonPerQuery 1"));
  }

  @Test
  void aDebitOfNoUseIsNamed() {
    List<SignedEvent> h = history();
    h.addAll(job(Optional.of(new Debit(0, BigDecimal.ONE))));
    assertTrue(failsAtTheLast(h).reason().contains("a job spends exactly 1 use"));
  }

  @Test
  void withinTheLimitsTheHistoryVerifies() {
    List<SignedEvent> h = history();
    h.addAll(job(Optional.of(Debit.oneUse(BigDecimal.ONE))));
    h.addAll(job(Optional.of(Debit.oneUse(new BigDecimal("2")))));
    assertTrue(LedgerVerifier.verify(Scenario.export(Scenario.chain(h), logKey)).ok());
  }

  /** A gaussian-mechanism policy publishes its delta per query; a debit that records less is named, one that records it verifies. */
  @Test
  void anUnderstatedDeltaIsNamedAndTheStatedOneVerifies() {
    Digest gaussian = Digest.sha256("policy a, gaussian".getBytes(StandardCharsets.UTF_8));
    List<SignedEvent> h = new ArrayList<>(s.setup());
    h.add(s.sign(s.hospitalA, new AuditEvent.PolicyPublished(s.claimsA.dataset(), "claims-gaussian", gaussian,
        Optional.of(new PolicyLimits(OptionalLong.empty(), Optional.of(BigDecimal.ONE), Optional.of(new BigDecimal("3")),
            Optional.of(new BigDecimal("0.000001")))))));
    JobId lawful = new JobId("job-00000000000000aa");
    h.add(s.submitted(lawful, io.covenant.core.job.Engine.TEE));
    h.add(s.sign(s.operator, new AuditEvent.JobAuthorized(lawful, List.of(
        new PolicyBinding(s.claimsA, gaussian, Debit.oneUse(BigDecimal.ONE, new BigDecimal("0.000001"))),
        new PolicyBinding(s.claimsB, s.policyB, Debit.oneUse(BigDecimal.ZERO))))));
    assertTrue(LedgerVerifier.verify(Scenario.export(Scenario.chain(h), logKey)).ok(), "the stated delta verifies");
    JobId understated = new JobId("job-00000000000000ab");
    h.add(s.submitted(understated, io.covenant.core.job.Engine.TEE));
    h.add(s.sign(s.operator, new AuditEvent.JobAuthorized(understated, List.of(
        new PolicyBinding(s.claimsA, gaussian, Debit.oneUse(BigDecimal.ONE)),
        new PolicyBinding(s.claimsB, s.policyB, Debit.oneUse(BigDecimal.ZERO))))));
    assertTrue(failsAtTheLast(h).reason().contains("debits delta 0 under policy " + gaussian.shortForm()), failsAtTheLast(h).reason());
  }
}
