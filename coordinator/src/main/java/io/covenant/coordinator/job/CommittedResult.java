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
import io.covenant.tee.training.TrainedModel;
import java.util.List;

/**
 * How a consumer opens a sealed result (a result table, or a trained model): only if its hash is the one the job's
 * RESULT_COMMITTED records, so whoever served the bytes (the coordinator, in process or over HTTP) is not trusted with
 * them. The hash is recomputed under the ledger's suite (the suite of the RESULT_COMMITTED entry: SHA-256 under
 * {@code intl}, SM3 under {@code sm}), so a result whose identifier was made with the other suite is refused.
 */
public final class CommittedResult {
  private CommittedResult() {}

  /** Checks {@code sealed} against the RESULT_COMMITTED in the job's {@code trail}, then opens it with the consumer's keys. */
  public static ResultTable open(JobId job, byte[] sealed, List<LedgerEntry> trail, HpkeKeyPair consumerKeys) {
    AuditEvent.ResultCommitted committed = check(job, sealed, trail);
    if (committed.engine() == io.covenant.core.job.Engine.FL) {
      // A federated model travels as a table of its parameters: opened like any result, then checked against the model hash.
      ResultTable table = ResultTable.open(sealed, consumerKeys, job);
      io.covenant.coordinator.dispatch.FederatedModelResult.read(suiteOf(job, trail), table, committed.modelHash().orElseThrow(() -> new IntegrityException(
          "job " + job + "'s federated result records no model hash; do not use it")));
      return table;
    }
    if (committed.modelHash().isPresent()) {
      throw new IntegrityException("job " + job + " committed a trained model, not a result table; open it as a model ('./covenant job result " + job + " --as ORG --out FILE')");
    }
    if (SealedShares.isBundle(sealed) || io.covenant.mpc.psi.SealedIntersection.isBundle(sealed) || io.covenant.mpc.spdz.SealedSpdzResult.isBundle(sealed)) {
      // A multi-party result: each seat's part sealed to the consumer; the seats must have computed what the consumer signed.
      Digest computation = trail.stream()
          .map(e -> e.event().event())
          .filter(AuditEvent.JobSubmitted.class::isInstance)
          .map(e -> ((AuditEvent.JobSubmitted) e).computationHash())
          .findFirst()
          .orElseThrow(() -> new IntegrityException("job " + job + " has no JOB_SUBMITTED on the ledger"));
      OpenedTable table = SealedShares.isBundle(sealed) ? SealedShares.openTable(sealed, consumerKeys, job, computation)
          : io.covenant.mpc.spdz.SealedSpdzResult.isBundle(sealed) ? io.covenant.mpc.spdz.SealedSpdzResult.openTable(sealed, consumerKeys, job, computation)
          : io.covenant.mpc.psi.SealedIntersection.openTable(sealed, consumerKeys, job, computation);
      return new ResultTable(table.columns(), table.rows());
    }
    return ResultTable.open(sealed, consumerKeys, job);
  }

  /**
   * Whether the job's RESULT_COMMITTED in {@code trail} is an enclave's trained model (it names the model's hash); a
   * federated model opens as a table of its parameters ({@link #open}).
   */
  public static boolean isModel(List<LedgerEntry> trail) {
    return committed(trail).map(c -> c.modelHash().isPresent() && c.engine() != io.covenant.core.job.Engine.FL).orElse(false);
  }

  /**
   * Checks {@code sealed} against the job's RESULT_COMMITTED, opens the trained model inside with the consumer's keys,
   * and checks that its hash is the model hash the ledger recorded.
   */
  public static TrainedModel openModel(JobId job, byte[] sealed, List<LedgerEntry> trail, HpkeKeyPair consumerKeys) {
    AuditEvent.ResultCommitted committed = check(job, sealed, trail);
    Digest modelHash = committed.modelHash().orElseThrow(() -> new IntegrityException(
        "job " + job + " committed a result table, not a trained model; open it with './covenant job result " + job + " --as ORG'"));
    TrainedModel model = TrainedModel.open(sealed, consumerKeys, job);
    if (!model.modelHash().equals(modelHash)) {
      throw new IntegrityException("the model sealed in job " + job + "'s result has hash " + model.modelHash().shortForm()
          + ", not the " + modelHash.shortForm() + " the ledger recorded; do not use it");
    }
    return model;
  }

  private static java.util.Optional<AuditEvent.ResultCommitted> committed(List<LedgerEntry> trail) {
    return trail.stream()
        .map(e -> e.event().event())
        .filter(AuditEvent.ResultCommitted.class::isInstance)
        .map(AuditEvent.ResultCommitted.class::cast)
        .findFirst();
  }

  private static AuditEvent.ResultCommitted check(JobId job, byte[] sealed, List<LedgerEntry> trail) {
    AuditEvent.ResultCommitted committed = committed(trail)
        .orElseThrow(() -> new IntegrityException("job " + job + " has no RESULT_COMMITTED on the ledger; its result cannot be trusted"));
    io.covenant.core.crypto.CryptoSuite suite = suiteOf(job, trail);
    Digest served = suite.hash(sealed);
    if (!served.equals(committed.resultHash())) {
      throw new IntegrityException("the result served for job " + job + " is not the one committed on the ledger (its " + suite.hashAlgorithm()
          + " is " + served.shortForm() + ", the ledger records " + committed.resultHash().shortForm() + "; a hash made with another suite "
          + "than the ledger's " + suite.id() + " does not match either); do not use it");
    }
    return committed;
  }

  /** The ledger's suite, as the job's RESULT_COMMITTED entry carries it (every entry of one ledger has the same). */
  private static io.covenant.core.crypto.CryptoSuite suiteOf(JobId job, List<LedgerEntry> trail) {
    return trail.stream().filter(e -> e.event().event() instanceof AuditEvent.ResultCommitted).map(LedgerEntry::suite).findFirst()
        .orElseThrow(() -> new IntegrityException("job " + job + " has no RESULT_COMMITTED on the ledger; its result cannot be trusted"));
  }
}
