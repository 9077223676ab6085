package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.merkle.MerkleTree;

/**
 * One position in the ledger: the actor-signed event, its index, and the leaf hash of the entry before it. The hash
 * link lets an auditor detect a removed or reordered entry from the entries alone; the Merkle tree over the leaf
 * hashes lets the log prove inclusion and consistency compactly (RFC 9162).
 *
 * @param previous leaf hash of entry {@code index - 1}; {@link #NO_PREVIOUS} (32 zero bytes) for entry 0
 */
public record LedgerEntry(long index, SignedEvent event, Digest previous) {

  /** The {@code previous} of entry 0. */
  public static final Digest NO_PREVIOUS = Digest.of(new byte[32]);

  public LedgerEntry {
    if (event == null || previous == null) throw new MalformedInputException("a ledger entry needs an event and the previous entry's hash");
    if (index < 0) throw new MalformedInputException("ledger entry index must not be negative, got " + index);
  }

  public Json.JObject toJson() {
    return Json.obj("index", index, "event", event.toJson(), "previous", previous.hex());
  }

  public static LedgerEntry fromJson(Json.JObject o) {
    return new LedgerEntry(o.number("index"), SignedEvent.fromJson(o.object("event")), Digest.parse(o.string("previous")));
  }

  /** The canonical JSON bytes of {@link #toJson()}: what the Merkle leaf commits to. */
  public byte[] leafBytes() {
    return toJson().canonicalBytes();
  }

  /** RFC 9162 section 2.1.1 leaf hash: SHA-256(0x00 || leafBytes). */
  public Digest leafHash() {
    return MerkleTree.leafHash(leafBytes());
  }
}
