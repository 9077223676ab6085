package io.covenant.policy.consent;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;

/**
 * A consent as its owner signed it: Ed25519 (RFC 8032) over the canonical JSON (RFC 8785) of the consent under the
 * label {@code covenant/owner-consent/v1}. Its {@link #digest} (SHA-256 of the canonical JSON of consent and signature)
 * is what CONSENT_RECORDED puts on the ledger.
 */
public record SignedConsent(OwnerConsent consent, Signature signature) {
  private static final String LABEL = "covenant/owner-consent/v1";

  public SignedConsent {
    if (consent == null || signature == null) throw new MalformedInputException("a signed consent needs the consent and the owner's signature");
  }

  /** The owner holding {@code ownerKey} signs {@code consent}; the key must be the one the consent names. */
  public static SignedConsent sign(OwnerConsent consent, SigningKey ownerKey) {
    if (!ownerKey.verifyingKey().equals(consent.owner())) throw new MalformedInputException("a consent is signed by the owner it names");
    return new SignedConsent(consent, ownerKey.sign(statement(consent)));
  }

  private static byte[] statement(OwnerConsent consent) {
    return Json.obj("label", LABEL, "consent", consent.toJson()).canonicalBytes();
  }

  /** Throws {@link IntegrityException} unless the owner the consent names signed it. */
  public SignedConsent verified() {
    if (!consent.owner().verify(statement(consent), signature)) {
      throw new IntegrityException("the consent " + digest().shortForm() + "… for vehicle " + consent.vehicle().substring(0, 12)
          + "… is not signed by the owner it names: it was altered or forged; ask the owner to sign it again");
    }
    return this;
  }

  /**
   * The consent's identifier on the ledger and in a withdrawal: the hash of the canonical JSON under the suite of the
   * owner's key that signed it (SHA-256 for an Ed25519 owner, SM3 for an SM2 owner), as a key knows its suite.
   */
  public Digest digest() {
    return consent.owner().suite().hash(toJson().canonicalBytes());
  }

  public Json.JObject toJson() {
    return Json.obj("consent", consent.toJson(), "sig", signature.hex());
  }

  public static SignedConsent fromJson(Json.JObject o) {
    return new SignedConsent(OwnerConsent.fromJson(o.object("consent")), Signature.parse(o.string("sig")));
  }
}
