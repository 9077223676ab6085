package io.covenant.ledger;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A witness's cosignature on a checkpoint, with the semantics of the C2SP {@code tlog-cosignature} specification
 * (c2sp.org/tlog-cosignature, the cosignatures Sigstore's and Go's checksum database witnesses produce): by signing,
 * the witness states that at {@code at} it had verified the checkpoint's signature by the log key and that the tree
 * is consistent with (an append-only extension of) every checkpoint of that log it cosigned before.
 *
 * <p>As in tlog-cosignature/v1, the signed message binds the witness's own name, the time, and the checkpoint's
 * body (the log's identity, its size and root), not the log's signature. Our encoding is the canonical JSON of
 * {@code {"at","kind","logKey","rootHash","treeSize","witness"}} with kind {@value #KIND}, so a cosignature can never
 * be taken for a checkpoint or event signature.
 */
public record Cosignature(String witness, VerifyingKey witnessKey, Instant at, Signature signature) {
  public static final String KIND = "covenant-witness-cosignature/v1";

  public Cosignature {
    if (witness == null || witness.isBlank() || witnessKey == null || at == null || signature == null) {
      throw new MalformedInputException("a cosignature needs the witness's name and key, a time and a signature");
    }
  }

  /** Cosigns {@code cp} as witness {@code name}; the time is kept to the millisecond so it survives its JSON form. */
  public static Cosignature sign(String name, SigningKey witnessKey, SignedCheckpoint cp, Instant at) {
    Instant t = at.truncatedTo(ChronoUnit.MILLIS);
    VerifyingKey pub = witnessKey.verifyingKey();
    return new Cosignature(name, pub, t, witnessKey.sign(statement(name, t, cp).canonicalBytes()));
  }

  static Json.JObject statement(String witness, Instant at, SignedCheckpoint cp) {
    return Json.obj(
        "kind", KIND, "witness", witness, "at", at.toString(), "logKey", cp.logKey().hex(), "treeSize", cp.treeSize(),
        "rootHash", cp.rootHash().hex());
  }

  /** True if this is {@link #witnessKey}'s signature over {@code cp}'s body. Whether that key is a witness you trust is yours to check. */
  public boolean verifies(SignedCheckpoint cp) {
    return witnessKey.verify(statement(witness, at, cp).canonicalBytes(), signature);
  }

  public Json.JObject toJson() {
    return Json.obj("witness", witness, "key", witnessKey.hex(), "at", at.toString(), "sig", signature.hex());
  }

  public static Cosignature fromJson(Json.JObject o) {
    Instant at;
    try {
      at = Instant.parse(o.string("at"));
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("cosignature time '" + o.string("at") + "' is not an ISO-8601 instant");
    }
    return new Cosignature(o.string("witness"), VerifyingKey.parse(o.string("key")), at, Signature.parse(o.string("sig")));
  }
}
