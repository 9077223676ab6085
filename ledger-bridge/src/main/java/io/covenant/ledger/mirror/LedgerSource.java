package io.covenant.ledger.mirror;

import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a {@link MirroredLedger} reads the log from and sends its own events to: the coordinator's ledger API in a
 * deployment ({@link HttpLedgerSource}), or a ledger in the same JVM in tests. Nothing it returns is trusted: the
 * mirror checks every entry and checkpoint itself.
 */
public interface LedgerSource {
  /**
   * A signed tree head and entries the source sent along with it, to spare the mirror a request for them. Untrusted
   * like everything else: the mirror checks the entries against the checkpoint and pages for any it lacks.
   */
  record LogUpdate(SignedCheckpoint checkpoint, List<LedgerEntry> entries) {
    public LogUpdate {
      entries = List.copyOf(entries);
    }
  }

  /** The log's current signed tree head. */
  SignedCheckpoint checkpoint();

  /** Entries {@code [from, to)}; a source may return fewer than asked (a page), never entries outside the range. */
  List<LedgerEntry> entries(long from, long to);

  /**
   * The log's signed tree head now and (some of) the entries from {@code from} up to it, in one request where the
   * source can; this default asks for the checkpoint and leaves the mirror to page for the entries.
   */
  default LogUpdate since(long from) {
    return new LogUpdate(checkpoint(), List.of());
  }

  /** Hands an actor-signed event to the log for appending; returns the entry it became. */
  LedgerEntry append(SignedEvent event);

  /**
   * Hands several events to the log to append as one ({@link io.covenant.ledger.Ledger#appendAll}); answers the
   * entries they became and a signed checkpoint that covers them, so a mirror can verify them without asking again.
   * This default appends one by one and then asks for the checkpoint.
   */
  default LogUpdate appendAll(List<SignedEvent> events) {
    List<LedgerEntry> appended = new ArrayList<>(events.size());
    for (SignedEvent e : events) appended.add(append(e));
    return new LogUpdate(checkpoint(), appended);
  }

  /** Where the log is, for messages ("the coordinator at https://…"). */
  String describe();
}
