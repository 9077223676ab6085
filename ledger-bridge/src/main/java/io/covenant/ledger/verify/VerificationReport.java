package io.covenant.ledger.verify;

import java.util.List;
import java.util.Optional;

/**
 * What {@link LedgerVerifier} found.
 *
 * @param entries how many entries the export holds (every one was checked)
 * @param jobs how many distinct jobs were submitted in it
 * @param failure the first rule broken, if any
 * @param checkpointed how many entries the largest valid checkpoint covers; {@code entries - checkpointed} entries
 *     are vouched for by no checkpoint yet (their signatures and links were checked all the same)
 * @param witnessed how many entries the largest checkpoint cosigned by a quorum covers, or -1 when no consortium
 *     was given
 * @param cosigners the witnesses whose cosignatures made that quorum
 */
public record VerificationReport(long entries, long jobs, Optional<Failure> failure, long checkpointed, long witnessed, List<String> cosigners) {

  /** {@code eventType} for a failure of a checkpoint itself rather than of an entry. */
  public static final String CHECKPOINT = "CHECKPOINT";

  public VerificationReport {
    failure = failure == null ? Optional.empty() : failure;
    cosigners = cosigners == null ? List.of() : List.copyOf(cosigners);
  }

  public VerificationReport(long entries, long jobs, Optional<Failure> failure) {
    this(entries, jobs, failure, entries, -1, List.of());
  }

  public boolean ok() {
    return failure.isEmpty();
  }

  /** Entries no checkpoint covers yet. */
  public long uncovered() {
    return entries - checkpointed;
  }

  /**
   * The first bad entry and why.
   *
   * @param index the first entry that is wrong; -1 when only a checkpoint (or a missing quorum) can be named
   * @param eventType the entry's event type, or {@value VerificationReport#CHECKPOINT}
   * @param reason a sentence an auditor can act on, starting with the entry it is about
   */
  public record Failure(long index, String eventType, String reason) {}

  @Override
  public String toString() {
    return failure.map(f -> "FAILED: " + f.reason())
        .orElse("OK: " + entries + " entries, " + jobs + " jobs, " + checkpointed + " covered by a checkpoint"
            + (witnessed >= 0 ? ", " + witnessed + " witnessed by " + String.join(", ", cosigners) : ""));
  }
}
