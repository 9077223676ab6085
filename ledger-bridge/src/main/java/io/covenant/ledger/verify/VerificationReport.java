package io.covenant.ledger.verify;

import java.util.Optional;

/**
 * What {@link LedgerVerifier} found.
 *
 * @param entries how many entries the export holds
 * @param jobs how many distinct jobs were submitted in it
 * @param failure the first rule broken, if any
 */
public record VerificationReport(long entries, long jobs, Optional<Failure> failure) {

  /** {@code eventType} for a failure of the checkpoint itself rather than of an entry. */
  public static final String CHECKPOINT = "CHECKPOINT";

  public VerificationReport {
    failure = failure == null ? Optional.empty() : failure;
  }

  public boolean ok() {
    return failure.isEmpty();
  }

  /**
   * The first bad entry and why.
   *
   * @param index the entry's position in the export; -1 when the checkpoint itself fails
   * @param eventType the entry's event type, or {@value VerificationReport#CHECKPOINT}
   * @param reason a sentence an auditor can act on, starting with the entry it is about
   */
  public record Failure(long index, String eventType, String reason) {}

  @Override
  public String toString() {
    return failure.map(f -> "FAILED: " + f.reason()).orElse("OK: " + entries + " entries, " + jobs + " jobs, checkpoint verified");
  }
}
