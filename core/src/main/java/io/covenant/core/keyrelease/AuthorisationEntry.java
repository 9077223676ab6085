package io.covenant.core.keyrelease;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The ledger entry that anchors the freshness of a key release: a job's JOB_AUTHORIZED, named by its position and its
 * RFC 9162 leaf hash. The attestation nonce an enclave binds into its evidence is derived from it ({@link #nonce}), so
 * evidence for a job cannot exist before the job was authorised, and evidence made for one job (or one enclave key)
 * is never the evidence of another.
 *
 * <p>This is the nonce-based freshness of RFC 9334 (RATS architecture, section 10.2): the relying party (the data
 * owner's node) does not trust the attester's clock, nor its own, to judge how old evidence is; it checks that the
 * evidence carries a value that could only be known after a moment it can place itself. Here the nonce is not sent by
 * the relying party but read by both sides from the ledger, which every owner mirrors and verifies: the leaf hash is
 * unpredictable before the operator signed the authorisation, and unique to it (it covers the job id, the entry's index
 * and the hash of the entry before it). How long the nonce stays usable is measured on the ledger too, in entries
 * appended since the authorisation (the {@code tee.freshnessEntries} of the owner's policy), never in wall-clock time.
 *
 * @param index the position of the JOB_AUTHORIZED entry in the log
 * @param leafHash its RFC 9162 leaf hash, H(0x00 || entry bytes), as every mirror of the log computes it
 */
public record AuthorisationEntry(long index, Digest leafHash) {
  /** Domain label of the nonce derivation. */
  public static final String NONCE_LABEL = "covenant/attestation-nonce/v1";

  public AuthorisationEntry {
    if (leafHash == null) throw new MalformedInputException("an authorisation entry needs its leaf hash");
    if (index < 0) throw new MalformedInputException("an authorisation entry's index must not be negative, got " + index);
  }

  /**
   * The attestation nonce of a key release anchored here for the enclave key with fingerprint {@code recipientKey}:
   * H("covenant/attestation-nonce/v1" || leafHash || recipientKey), H the consortium's hash ({@code suite}: SHA-256 or
   * SM3). Both inputs are 32 bytes, so the concatenation is unambiguous. The recipient key is in it so that two sessions of the same job (a retry after a
   * worker died) never share a nonce; the fingerprint, not the key, so that an auditor recomputes it from KEY_RELEASED.
   */
  public Digest nonce(io.covenant.core.crypto.CryptoSuite suite, Digest recipientKey) {
    if (recipientKey == null) throw new MalformedInputException("the nonce of a key release needs the fingerprint of the enclave key");
    MessageDigest sha256 = suite.newHash();
    sha256.update(NONCE_LABEL.getBytes(StandardCharsets.UTF_8));
    sha256.update(leafHash.bytes());
    sha256.update(recipientKey.bytes());
    return Digest.of(sha256.digest());
  }

  public Json.JObject toJson() {
    return Json.obj("index", index, "leafHash", leafHash.hex());
  }

  /** Parses {@link #toJson()}; {@link MalformedInputException} naming the member that is missing or malformed. */
  public static AuthorisationEntry fromJson(Json.JObject o) {
    return new AuthorisationEntry(o.number("index"), Digest.parse(o.string("leafHash")));
  }

  @Override
  public String toString() {
    return "entry " + index + " (leaf " + leafHash.shortForm() + "…)";
  }
}
