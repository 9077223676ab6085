package io.covenant.ledger;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.keyrelease.AuthorisationEntry;
import java.util.Optional;

/** Where a job's authorisation stands on a ledger: the anchor of its key releases' attestation nonces. */
public final class Authorisations {
  private Authorisations() {}

  /**
   * The job's JOB_AUTHORIZED entry on {@code ledger} (the first, should a faulty log hold two; owners refuse such a
   * job anyway), by index and RFC 9162 leaf hash; empty if the job is not authorised there.
   */
  public static Optional<AuthorisationEntry> of(Ledger ledger, JobId job) {
    return ledger.entriesForJob(job).stream()
        .filter(e -> e.event().event() instanceof AuditEvent.JobAuthorized)
        .findFirst()
        .map(e -> new AuthorisationEntry(e.index(), e.leafHash()));
  }
}
