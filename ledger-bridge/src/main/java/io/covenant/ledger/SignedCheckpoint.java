package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A signed tree head (RFC 9162 section 4.10 in spirit): the log operator's signed statement that the first
 * {@code treeSize} entries have Merkle root {@code rootHash}. Two checkpoints of one log are reconciled by a
 * consistency proof; an entry is tied to a checkpoint by an inclusion proof.
 *
 * <p>The signed statement is the canonical JSON of {@code {"at","kind","logKey","rootHash","treeSize"}} with kind
 * {@value #KIND}, so a signature over a checkpoint can never be mistaken for a signature over an event.
 *
 * <p>Every checkpoint records the crypto suite its tree is hashed and signed with: under the national suite the signed
 * statement (and the JSON form) carries {@code "suite":"sm"}, so a checkpoint cannot be re-read under another suite; an
 * international checkpoint carries no suite member and is byte-for-byte what earlier Covenant versions signed. The
 * suite must be the log key's own (SM2 key: {@code sm}).
 */
public record SignedCheckpoint(long treeSize, Digest rootHash, Instant at, VerifyingKey logKey, Signature signature, CryptoSuite suite) {

  public static final String KIND = "covenant-ledger-checkpoint/v1";

  public SignedCheckpoint {
    if (rootHash == null || at == null || logKey == null || signature == null) {
      throw new MalformedInputException("a checkpoint needs a root hash, a time, the log key and a signature");
    }
    if (treeSize < 0) throw new MalformedInputException("checkpoint tree size must not be negative, got " + treeSize);
    if (suite == null) throw new MalformedInputException("a checkpoint records its crypto suite");
  }

  /** An international-suite checkpoint. */
  public SignedCheckpoint(long treeSize, Digest rootHash, Instant at, VerifyingKey logKey, Signature signature) {
    this(treeSize, rootHash, at, logKey, signature, CryptoSuite.INTL);
  }

  /** Signs a tree head; the time is kept to the millisecond so it survives its JSON form unchanged. */
  public static SignedCheckpoint sign(long treeSize, Digest rootHash, Instant at, SigningKey logKey) {
    Instant t = at.truncatedTo(ChronoUnit.MILLIS);
    VerifyingKey pub = logKey.verifyingKey();
    CryptoSuite suite = logKey.suite();
    return new SignedCheckpoint(treeSize, rootHash, t, pub, logKey.sign(statement(treeSize, rootHash, t, pub, suite).canonicalBytes()), suite);
  }

  public static Json.JObject statement(long treeSize, Digest rootHash, Instant at, VerifyingKey logKey) {
    return statement(treeSize, rootHash, at, logKey, CryptoSuite.INTL);
  }

  /** The signed statement; {@code "suite"} is a member only under the national suite (see the class comment). */
  public static Json.JObject statement(long treeSize, Digest rootHash, Instant at, VerifyingKey logKey, CryptoSuite suite) {
    if (suite.isNational()) {
      return Json.obj("kind", KIND, "treeSize", treeSize, "rootHash", rootHash.hex(), "at", at.toString(), "logKey", logKey.hex(), "suite", suite.id());
    }
    return Json.obj("kind", KIND, "treeSize", treeSize, "rootHash", rootHash.hex(), "at", at.toString(), "logKey", logKey.hex());
  }

  /**
   * True if the signature is the log key's over this tree head and the recorded suite is the log key's. Whether the log
   * key is the one you trust is yours to check.
   */
  public boolean verify() {
    return suite == logKey.suite() && logKey.verify(statement(treeSize, rootHash, at, logKey, suite).canonicalBytes(), signature);
  }

  public Json.JObject toJson() {
    if (suite.isNational()) {
      return Json.obj("treeSize", treeSize, "rootHash", rootHash.hex(), "at", at.toString(), "logKey", logKey.hex(), "sig", signature.hex(), "suite", suite.id());
    }
    return Json.obj(
        "treeSize", treeSize, "rootHash", rootHash.hex(), "at", at.toString(), "logKey", logKey.hex(), "sig", signature.hex());
  }

  public static SignedCheckpoint fromJson(Json.JObject o) {
    Instant at;
    try {
      at = Instant.parse(o.string("at"));
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("checkpoint time '" + o.string("at") + "' is not an ISO-8601 instant");
    }
    return new SignedCheckpoint(
        o.number("treeSize"), Digest.parse(o.string("rootHash")), at, VerifyingKey.parse(o.string("logKey")),
        Signature.parse(o.string("sig")), o.has("suite") ? CryptoSuite.parse(o.string("suite")) : CryptoSuite.INTL);
  }
}
