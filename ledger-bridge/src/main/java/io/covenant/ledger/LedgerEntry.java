package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.merkle.MerkleTree;

/**
 * One position in the ledger: the actor-signed event, its index, and the leaf hash of the entry before it. The hash
 * link lets an auditor detect a removed or reordered entry from the entries alone; the Merkle tree over the leaf
 * hashes lets the log prove inclusion and consistency compactly (RFC 9162).
 *
 * <p>An entry names the crypto suite of its ledger: under the national suite its JSON carries {@code "suite":"sm"} (and its
 * leaf is hashed with SM3); an international entry carries no suite member, so its bytes are those of every earlier
 * Covenant ledger. A verifier refuses an entry whose suite is not the consortium's.
 *
 * @param previous leaf hash of entry {@code index - 1}; {@link #NO_PREVIOUS} (32 zero bytes) for entry 0
 */
public record LedgerEntry(long index, SignedEvent event, Digest previous, CryptoSuite suite) {

  /** The {@code previous} of entry 0. */
  public static final Digest NO_PREVIOUS = Digest.of(new byte[32]);

  public LedgerEntry {
    if (event == null || previous == null || suite == null) throw new MalformedInputException("a ledger entry needs an event, the previous entry's hash and a suite");
    if (index < 0) throw new MalformedInputException("ledger entry index must not be negative, got " + index);
  }

  /** An entry of an international-suite ledger. */
  public LedgerEntry(long index, SignedEvent event, Digest previous) {
    this(index, event, previous, CryptoSuite.INTL);
  }

  public Json.JObject toJson() {
    if (suite.isNational()) return Json.obj("index", index, "event", event.toJson(), "previous", previous.hex(), "suite", suite.id());
    return Json.obj("index", index, "event", event.toJson(), "previous", previous.hex());
  }

  public static LedgerEntry fromJson(Json.JObject o) {
    CryptoSuite suite = o.has("suite") ? CryptoSuite.parse(o.string("suite")) : CryptoSuite.INTL;
    return new LedgerEntry(o.number("index"), SignedEvent.fromJson(o.object("event")), Digest.parse(o.string("previous")), suite);
  }

  /** The canonical JSON bytes of {@link #toJson()}: what the Merkle leaf commits to. */
  public byte[] leafBytes() {
    return toJson().canonicalBytes();
  }

  /** RFC 9162 section 2.1.1 leaf hash with the entry's suite's hash H: H(0x00 || leafBytes), H = SHA-256 or SM3. */
  public Digest leafHash() {
    return MerkleTree.leafHash(suite, leafBytes());
  }
}
