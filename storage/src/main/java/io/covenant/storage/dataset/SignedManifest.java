package io.covenant.storage.dataset;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import java.util.Base64;

/** A manifest with its owner's signature (Ed25519, RFC 8032, or SM2, GB/T 32918.2, by the consortium's suite) over the manifest's canonical JSON (RFC 8785). */
public record SignedManifest(DatasetManifest manifest, Signature signature) {
  public SignedManifest {
    if (manifest == null || signature == null) throw new MalformedInputException("a signed manifest needs a manifest and a signature");
  }

  static SignedManifest sign(DatasetManifest manifest, SigningKey owner) {
    return new SignedManifest(manifest, owner.sign(manifest.toJson().canonicalBytes()));
  }

  public boolean verifiedBy(VerifyingKey owner) {
    return owner.verify(manifest.toJson().canonicalBytes(), signature);
  }

  /**
   * The DAG-JSON block: {@code {"manifest": {...}, "signature": {"/": {"bytes": "<base64>"}}}}, using DAG-JSON's
   * bytes form (unpadded standard base64) for the signature and links {@code {"/": "<cid>"}} for shards.
   */
  byte[] toBlock() {
    return Json.obj(
            "manifest", manifest.toJson(),
            "signature", Json.obj("/", Json.obj("bytes", Base64.getEncoder().withoutPadding().encodeToString(signature.bytes()))))
        .canonicalBytes();
  }

  /** The received manifest object, exactly as its signature covers it. */
  static Json.JObject manifestObject(Json.JObject block) {
    return block.object("manifest");
  }

  static Signature signatureOf(Json.JObject block) {
    String b64 = block.object("signature").object("/").string("bytes");
    try {
      return Signature.of(Base64.getDecoder().decode(b64));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("manifest signature is not base64", e);
    }
  }
}
