package io.covenant.ledger.settlement;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.merkle.MerkleTree;

/**
 * One contributing owner's line of a settlement: the owner's pseudonym (a keyed digest, never the owner's identity or
 * vehicle number), the records of theirs the job used, and the amount they earned, in integer minor units. Its leaf
 * in the settlement's Merkle tree is the RFC 9162 leaf hash of the canonical JSON of the three fields.
 */
public record OwnerShare(String owner, long records, long amount) {
  public OwnerShare {
    if (owner == null || !owner.matches("[0-9a-f]{64}")) throw new MalformedInputException("an owner's pseudonym in a settlement is 64 lower-case hex digits");
    if (records < 1) throw new MalformedInputException("an owner in a settlement contributed at least 1 record, not " + records);
    if (amount < 0) throw new MalformedInputException("an owner's amount is never negative, not " + amount);
  }

  public Json.JObject toJson() {
    return Json.obj("owner", owner, "records", records, "amount", amount);
  }

  public static OwnerShare fromJson(Json.JObject o) {
    return new OwnerShare(o.string("owner"), o.number("records"), o.number("amount"));
  }

  /** The leaf hash this line has in the settlement's tree (RFC 9162 section 2.1.1: SHA-256(0x00 || leaf)). */
  public Digest leafHash() {
    return MerkleTree.leafHash(toJson().canonicalBytes());
  }
}
