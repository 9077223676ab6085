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

    /** {@code {"checkpoint": ..., "entries": [...]}}, as {@code GET /api/ledger/update} answers it. */
    public io.covenant.core.codec.Json.JObject toJson() {
      return io.covenant.core.codec.Json.obj("checkpoint", checkpoint.toJson(), "entries", entries.stream().map(LedgerEntry::toJson).toList());
    }

    /** Parses {@link #toJson}; nothing is verified here (the mirror does). */
    public static LogUpdate fromJson(io.covenant.core.codec.Json.JObject o) {
      return fromJson(o, 0);
    }

    /**
     * As {@link #fromJson(io.covenant.core.codec.Json.JObject)}, leaving out the entries below index {@code held},
     * which a mirror holding {@code held} entries would not use: a stapled update repeats entries most nodes hold.
     */
    public static LogUpdate fromJson(io.covenant.core.codec.Json.JObject o, long held) {
      List<LedgerEntry> entries = new ArrayList<>();
      for (io.covenant.core.codec.Json v : o.array("entries")) {
        if (!(v instanceof io.covenant.core.codec.Json.JObject e)) throw new io.covenant.core.error.MalformedInputException("a log update's entries must be objects");
        if (e.number("index") < held) continue;
        entries.add(LedgerEntry.fromJson(e));
      }
      return new LogUpdate(SignedCheckpoint.fromJson(o.object("checkpoint")), entries);
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
  /**
   * As {@link #appendAll(List)}, for a caller that already holds the first {@code held} entries: the answer may carry
   * every entry from there up to its checkpoint (others' appends that landed meanwhile included), sparing the mirror a
   * request for them. A source that cannot ignores {@code held}.
   */
  default LogUpdate appendAll(List<SignedEvent> events, long held) {
    return appendAll(events);
  }


  /** Where the log is, for messages ("the coordinator at https://…"). */
  String describe();
}
