package io.covenant.coordinator.http;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.ConsortiumRoot;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code POST /api/ledger/events} refuses before the ledger sees it, beyond the ledger's own signature checks:
 * events whose own route runs the job (a submission or approval appended directly would be on the ledger with no job
 * in the coordinator), an owner's event about a dataset another owner holds, a second operator, and a registration
 * that does not carry a certificate from the consortium's pinned root. Each refusal says what to do instead.
 */
final class LedgerAdmission {
  private final LocalDeployment deployment;

  LedgerAdmission(LocalDeployment deployment) {
    this.deployment = deployment;
  }

  void check(SignedEvent signed) {
    OrgId actor = signed.actor();
    switch (signed.event()) {
      case AuditEvent.JobSubmitted s -> throw new UnprovenClaimException(
          "a JOB_SUBMITTED is sent with its request to POST /api/jobs, which records and runs the job; it is not appended alone");
      case AuditEvent.ApprovalGiven a -> throw new UnprovenClaimException(
          "an APPROVAL_GIVEN is sent to POST /api/jobs/" + a.jobId() + "/approvals, which records it and runs the job on the last approval");
      case AuditEvent.FlRoundCompleted r -> throw new UnprovenClaimException(
          "an FL_ROUND_COMPLETED is recorded by the coordinator, which aggregates job " + r.jobId() + "'s rounds; no one appends it through this route");
      case AuditEvent.DatasetPublished p -> mustOwn(actor, p.dataset().owner(), "DATASET_PUBLISHED of " + p.dataset());
      case AuditEvent.PolicyPublished p -> mustOwn(actor, p.dataset().owner(), "POLICY_PUBLISHED of " + p.dataset());
      case AuditEvent.PolicyRevoked r -> mustOwn(actor, r.dataset().owner(), "POLICY_REVOKED of " + r.dataset());
      case AuditEvent.KeyReleased k -> mustOwn(actor, k.dataset().owner(), "KEY_RELEASED for " + k.dataset());
      case AuditEvent.KeyReleaseRefused k -> mustOwn(actor, k.dataset().owner(), "KEY_RELEASE_REFUSED for " + k.dataset());
      case AuditEvent.InputShared i -> mustOwn(actor, i.dataset().owner(), "INPUT_SHARED for " + i.dataset());
      case AuditEvent.CiphertextRecorded c when c.dataset().isPresent() -> mustOwn(actor, c.dataset().get().owner(), "CIPHERTEXT_RECORDED for " + c.dataset().get());
      case AuditEvent.ConsentRecorded c -> mustOwn(actor, c.dataset().owner(), "CONSENT_RECORDED for " + c.dataset());
      case AuditEvent.LicencePublished l -> mustOwn(actor, l.dataset().owner(), "LICENCE_PUBLISHED of " + l.dataset());
      case AuditEvent.OrgRegistered reg -> checkRegistration(reg, signed.issuedAt());
      default -> {
        // Anything else is the actor's own statement; the ledger checks its signature and whether the actor is revoked.
      }
    }
  }

  private static void mustOwn(OrgId actor, OrgId owner, String what) {
    if (!actor.equals(owner)) {
      throw new UnprovenClaimException(actor + " signed a " + what + ", which only its owner " + owner + " records");
    }
  }

  private void checkRegistration(AuditEvent.OrgRegistered reg, Instant at) {
    if (reg.isOperator() || reg.roles().contains(Caller.OPERATOR_ROLE)) {
      throw new UnprovenClaimException("a registration with the operator's role is refused: a ledger has one operator, the coordinator, "
          + "registered when the deployment was made");
    }
    Optional<ConsortiumRoot> root = deployment.pinnedRoot();
    if (root.isEmpty()) return;
    if (reg.certificate().isEmpty()) {
      throw new UnprovenClaimException("this deployment pins the consortium root '" + root.get().name() + "', so " + reg.org()
          + " registers with the certificate its CA issued ('./covenant org enrol'); the registration carries none");
    }
    root.get().problemWith(reg.certificate().get(), reg.org(), reg.signingKey(), at).ifPresent(problem -> {
      throw new UnprovenClaimException(reg.org() + "'s registration is refused: " + problem);
    });
  }
}
