package io.covenant.ledger.mirror;

import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import java.util.List;

/**
 * Where a {@link MirroredLedger} reads the log from and sends its own events to: the coordinator's ledger API in a
 * deployment ({@link HttpLedgerSource}), or a ledger in the same JVM in tests. Nothing it returns is trusted: the
 * mirror checks every entry and checkpoint itself.
 */
public interface LedgerSource {
  /** The log's current signed tree head. */
  SignedCheckpoint checkpoint();

  /** Entries {@code [from, to)}; a source may return fewer than asked (a page), never entries outside the range. */
  List<LedgerEntry> entries(long from, long to);

  /** Hands an actor-signed event to the log for appending; returns the entry it became. */
  LedgerEntry append(SignedEvent event);

  /** Where the log is, for messages ("the coordinator at https://…"). */
  String describe();
}
