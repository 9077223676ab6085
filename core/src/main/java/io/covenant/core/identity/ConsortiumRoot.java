package io.covenant.core.identity;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The consortium's root certificate as an auditor pins it: the one trust anchor from which every organisation's
 * certificate must chain (RFC 5280 section 6 path validation, for the single-level path root → organisation that
 * this consortium issues). Checks are made at a given instant, the time of the event that relies on the certificate.
 */
public record ConsortiumRoot(OrgCertificate certificate) {

  public ConsortiumRoot {
    if (certificate == null) throw new MalformedInputException("a consortium root needs its certificate");
    if (!certificate.isCa() || !certificate.allows(KeyUsage.keyCertSign)) {
      throw new MalformedInputException("certificate " + certificate.subjectName() + " is not a CA certificate (basic constraints CA, key usage keyCertSign): it cannot be a consortium root");
    }
    if (certificate.subjectKey().isEmpty() || !certificate.signedBy(certificate.subjectKey().get())) {
      throw new MalformedInputException("root certificate " + certificate.subjectName() + " is not a self-signed Ed25519 or SM2 certificate");
    }
  }

  public VerifyingKey key() {
    return certificate.subjectKey().orElseThrow();
  }

  public String name() {
    return certificate.subjectName();
  }

  /**
   * Why {@code cert} does not vouch for {@code org} signing with {@code key} at {@code at}, or empty if it does: issued
   * by this root (issuer name and signature), an organisation's certificate (not a CA), for digital signatures, naming
   * {@code org}, for {@code key}, and within both its own and the root's validity at {@code at}.
   */
  public Optional<String> problemWith(OrgCertificate cert, OrgId org, VerifyingKey key, Instant at) {
    if (!cert.issuer().equals(certificate.subject()) || !cert.signedBy(key())) {
      String issuer = cert.issuerName().equals(cert.subjectName()) ? "it is self-signed" : "it is issued by '" + cert.issuerName() + "'";
      return Optional.of("its certificate does not chain to the pinned consortium root '" + name() + "' (" + issuer
          + ", or its signature does not verify): a certificate from outside the consortium");
    }
    if (cert.isCa()) return Optional.of("its certificate is a CA certificate, not an organisation's");
    if (!cert.allows(KeyUsage.digitalSignature)) return Optional.of("its certificate does not allow digital signatures (key usage)");
    if (!cert.subjectName().equals(org.value())) {
      return Optional.of("its certificate names '" + cert.subjectName() + "', not " + org);
    }
    if (cert.subjectKey().filter(key::equals).isEmpty()) {
      return Optional.of("its certificate is for another key (" + cert.subjectKey().map(VerifyingKey::shortForm).orElse("not Ed25519 or SM2")
          + "…), not the signing key " + key.shortForm() + "…");
    }
    if (!certificate.validAt(at)) return Optional.of("the consortium root is not valid at " + at + " (valid " + certificate.notBefore() + " to " + certificate.notAfter() + ")");
    if (at.isBefore(cert.notBefore())) return Optional.of("its certificate is not yet valid at " + at + " (valid from " + cert.notBefore() + ")");
    if (at.isAfter(cert.notAfter())) return Optional.of("its certificate expired at " + cert.notAfter() + ", before this event (" + at + ")");
    return Optional.empty();
  }

  /**
   * The statement a revocation's root signature covers: the organisation, the certificate's SHA-256 and the reason, as
   * canonical JSON (RFC 8785) under a fixed label so that the signature cannot be taken for any other statement.
   */
  public static byte[] revocationStatement(OrgId org, io.covenant.core.crypto.Digest certificate, String reason) {
    return Json.obj("covenant", "org-revocation", "org", org.value(), "certificate", certificate.hex(), "reason", reason).canonicalBytes();
  }

  /** Whether this root signed the revocation of {@code org}'s certificate {@code certificate}. */
  public boolean signedRevocation(OrgId org, io.covenant.core.crypto.Digest certificate, String reason, Signature signature) {
    return key().verify(revocationStatement(org, certificate, reason), signature);
  }
}
