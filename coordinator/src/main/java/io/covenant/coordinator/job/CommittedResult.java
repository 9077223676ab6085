package io.covenant.coordinator.job;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.mpc.sql.OpenedTable;
import io.covenant.mpc.sql.SealedShares;
import io.covenant.tee.compute.ResultTable;
import java.util.List;

/**
 * How a consumer opens a sealed result: only if its SHA-256 is the one the job's RESULT_COMMITTED records, so whoever
 * served the bytes (the coordinator, in process or over HTTP) is not trusted with them.
 */
public final class CommittedResult {
  private CommittedResult() {}

  /** Checks {@code sealed} against the RESULT_COMMITTED in the job's {@code trail}, then opens it with the consumer's keys. */
  public static ResultTable open(JobId job, byte[] sealed, List<LedgerEntry> trail, HpkeKeyPair consumerKeys) {
    Digest committed = trail.stream()
        .map(e -> e.event().event())
        .filter(AuditEvent.ResultCommitted.class::isInstance)
        .map(e -> ((AuditEvent.ResultCommitted) e).resultHash())
        .findFirst()
        .orElseThrow(() -> new IntegrityException("job " + job + " has no RESULT_COMMITTED on the ledger; its result cannot be trusted"));
    if (!Digest.sha256(sealed).equals(committed)) {
      throw new IntegrityException("the result served for job " + job + " is not the one committed on the ledger (hash "
          + Digest.sha256(sealed).shortForm() + " vs " + committed.shortForm() + "); do not use it");
    }
    if (SealedShares.isBundle(sealed)) {
      // A multi-party result: three parties' shares, each sealed to the consumer; they must have computed what the consumer signed.
      Digest computation = trail.stream()
          .map(e -> e.event().event())
          .filter(AuditEvent.JobSubmitted.class::isInstance)
          .map(e -> ((AuditEvent.JobSubmitted) e).computationHash())
          .findFirst()
          .orElseThrow(() -> new IntegrityException("job " + job + " has no JOB_SUBMITTED on the ledger"));
      OpenedTable table = SealedShares.openTable(sealed, consumerKeys, job, computation);
      return new ResultTable(table.columns(), table.rows());
    }
    return ResultTable.open(sealed, consumerKeys, job);
  }
}
