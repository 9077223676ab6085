package io.covenant.core.identity;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/**
 * How an organisation of a national-suite (SM2) consortium speaks mutual TLS although no TLS stack available to
 * Covenant can present an SM2 certificate: a short-lived transport credential, in the manner of TLS delegated
 * credentials (RFC 9345), bound to the organisation's SM2 identity.
 *
 * <p>Why: RFC 8998 defines TLS 1.3 with ShangMi (TLS_SM4_GCM_SM3, the signature scheme sm2sig_sm3, the group curveSM2),
 * but the JDK's TLS knows none of it and cannot even parse a certificate on sm2p256v1, and BouncyCastle's JSSE provider
 * at the version Covenant pins (bctls 1.82) neither offers the RFC 8998 cipher suites nor enables sm2sig_sm3 (both its
 * crypto back ends report the scheme as unsupported). See docs/crypto-suite.md, "TLS".
 *
 * <p>What: when its process starts, the organisation makes a fresh Ed25519 key that lives only in that process's memory,
 * and signs with its SM2 signing key (SM3withSM2, GM/T 0015 profile, GB/T 32918.2) an X.509 certificate for it: same
 * subject as its consortium certificate, issued by that certificate's subject, not a CA, digital signatures only, valid
 * no longer than its consortium certificate, carrying the consortium certificate (DER) in a non-critical extension. TLS
 * 1.3 then runs with the JDK's international algorithms (Ed25519 CertificateVerify, ECDHE, AES-GCM or ChaCha20-Poly1305
 * records), and a peer accepts it only if the embedded certificate chains to the pinned SM2 root, names the same
 * organisation, is not revoked, and its SM2 key signed the transport certificate. The identity is national; the
 * transport's own primitives are not.
 */
final class TransportCredential {
  /**
   * The extension that carries the organisation's consortium certificate: an OID under the UUID arc 2.25 (ITU-T X.667,
   * RFC 4122 section 1), minted for Covenant from a random UUID (9afea3ff-0087-44f7-8b6c-1b84f3a28bf3).
   */
  static final ASN1ObjectIdentifier CONSORTIUM_CERTIFICATE = new ASN1ObjectIdentifier("2.25.206023280989055257677479254513774922739");
  /** How far before now a transport certificate starts, so that a peer whose clock is a little behind accepts it. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  private TransportCredential() {}

  /** A transport certificate for {@code transportKey} (international suite) signed by {@code orgKey} (national suite). */
  static OrgCertificate issue(SigningKey orgKey, OrgCertificate consortiumCertificate, SigningKey transportKey, Instant now) {
    if (!orgKey.suite().isNational() || transportKey.suite().isNational()) {
      throw new MalformedInputException("a transport credential binds an international-suite TLS key to a national-suite (SM2) organisation key");
    }
    Instant from = now.minus(CLOCK_SKEW).truncatedTo(ChronoUnit.SECONDS);
    Instant until = consortiumCertificate.notAfter();
    if (!until.isAfter(now)) throw new CovenantException("the consortium certificate of " + consortiumCertificate.subjectName() + " expired at " + until);
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(consortiumCertificate.subject(), new BigInteger(127, RANDOM).setBit(126), Date.from(from),
        Date.from(until), consortiumCertificate.subject(), CertificateAuthority.publicKeyInfo(transportKey.verifyingKey()));
    try {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(CONSORTIUM_CERTIFICATE, false, consortiumCertificate.der());
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode the extensions of a transport certificate", e);
    }
    return OrgCertificate.of(b.build(new CertificateAlgorithms.KeySigner(orgKey)));
  }

  /** The consortium certificate a transport certificate carries, if it carries one that parses. */
  static Optional<OrgCertificate> consortiumCertificateOf(OrgCertificate transport) {
    try {
      return transport.extensionValue(CONSORTIUM_CERTIFICATE).map(OrgCertificate::fromDer);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** What a peer presenting {@code transport} is, checked against {@code root} at {@code at}; or a problem a person can act on. */
  static Checked check(OrgCertificate transport, ConsortiumRoot root, Instant at) {
    Optional<OrgCertificate> carried = consortiumCertificateOf(transport);
    if (carried.isEmpty()) {
      return new Checked.Refused("its TLS certificate carries no consortium certificate; this consortium runs on the national suite (sm), "
          + "so its peers present an SM2-signed transport certificate (is the peer a node of another consortium?)");
    }
    OrgCertificate consortium = carried.get();
    Optional<VerifyingKey> orgKey = consortium.subjectKey().filter(k -> k.suite() == CryptoSuite.SM);
    if (consortium.org().isEmpty() || orgKey.isEmpty()) return new Checked.Refused("the consortium certificate it carries is not an organisation's SM2 certificate");
    Optional<String> problem = root.problemWith(consortium, consortium.org().get(), orgKey.get(), at);
    if (problem.isPresent()) return new Checked.Refused(problem.get());
    if (!transport.subject().equals(consortium.subject()) || !transport.issuer().equals(consortium.subject()) || !transport.signedBy(orgKey.get())) {
      return new Checked.Refused("its transport certificate is not signed by the SM2 key of the consortium certificate it carries");
    }
    if (transport.isCa() || !transport.allows(KeyUsage.digitalSignature)) return new Checked.Refused("its transport certificate is not an end entity's signing certificate");
    if (transport.subjectKey().filter(k -> k.suite() == CryptoSuite.INTL).isEmpty()) return new Checked.Refused("its transport certificate is not for an Ed25519 key");
    if (!transport.validAt(at)) {
      return new Checked.Refused("its transport certificate is not valid at " + at + " (valid " + transport.notBefore() + " to " + transport.notAfter() + ")");
    }
    return new Checked.Accepted(consortium);
  }

  /** The outcome of {@link #check}. */
  sealed interface Checked {
    record Accepted(OrgCertificate consortiumCertificate) implements Checked {}

    record Refused(String problem) implements Checked {}
  }
}
