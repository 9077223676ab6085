package io.covenant.core.identity;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;

/**
 * The consortium's certificate authority: an Ed25519 root key (or, under the national crypto suite, an SM2 root key with
 * SM3withSM2 signatures, see {@link CertificateAlgorithms}) and its self-signed X.509 v3 CA certificate (RFC 5280,
 * Ed25519 per RFC 8410), which issues each organisation a certificate for its signing key. Built with BouncyCastle's
 * PKIX builder; the signature itself is made by {@link SigningKey}, so the root key never leaves that opaque handle.
 *
 * <p>The root certificate: basic constraints CA (critical, path length 0: it signs organisations, not further CAs), key
 * usage keyCertSign and cRLSign (critical). An organisation's certificate: subject {@code CN=<org>}, roles as subject
 * alternative name URIs {@code urn:covenant:role:<role>}, basic constraints not-CA, key usage digitalSignature
 * (critical), subject and authority key identifiers.
 */
public final class CertificateAuthority {
  /** How long a root is valid when nothing else is said: ten years, longer than any member's certificate. */
  public static final Duration ROOT_VALIDITY = Duration.ofDays(3650);
  /** How long an organisation's certificate is valid when nothing else is said: two years. */
  public static final Duration MEMBER_VALIDITY = Duration.ofDays(730);

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);

  private final SigningKey rootKey;
  private final OrgCertificate root;

  private CertificateAuthority(SigningKey rootKey, OrgCertificate root) {
    this.rootKey = rootKey;
    this.root = root;
  }

  /** A new root for the consortium named {@code consortiumName}, valid from {@code now} for {@code validity}. */
  public static CertificateAuthority create(String consortiumName, Instant now, Duration validity) {
    return create(consortiumName, now, validity, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /**
   * A new root under {@code suite}: an Ed25519 root (international) or an SM2 root whose certificates are signed
   * SM3withSM2 (national, see {@link CertificateAlgorithms}). The root's key fixes the consortium's suite for good.
   */
  public static CertificateAuthority create(String consortiumName, Instant now, Duration validity, io.covenant.core.crypto.CryptoSuite suite) {
    if (consortiumName == null || consortiumName.isBlank()) throw new MalformedInputException("a consortium root needs a name");
    SigningKey key = suite.generateSigningKey();
    X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, consortiumName).addRDN(BCStyle.CN, consortiumName + " root").build();
    SubjectPublicKeyInfo spki = publicKeyInfo(key.verifyingKey());
    Instant from = now.truncatedTo(ChronoUnit.SECONDS);
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(name, serial(), Date.from(from), Date.from(from.plus(validity)), name, spki);
    try {
      BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(spki));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode the root's extensions", e);
    }
    return new CertificateAuthority(key, OrgCertificate.of(b.build(new CertificateAlgorithms.KeySigner(key))));
  }

  /** The authority restored from its root key (from the CA's own encrypted store) and root certificate. */
  public static CertificateAuthority restore(SigningKey rootKey, OrgCertificate root) {
    if (!root.isCa() || root.subjectKey().filter(k -> k.equals(rootKey.verifyingKey())).isEmpty()) {
      throw new MalformedInputException("the root key does not belong to the root certificate " + root.subjectName());
    }
    return new CertificateAuthority(rootKey, root);
  }

  public OrgCertificate root() {
    return root;
  }

  /** The root key's seed, for the CA's own encrypted store only. */
  public byte[] rootKeySeedForStore() {
    return rootKey.seedForKeystore();
  }

  /**
   * Issues {@code org} a certificate for {@code key} with {@code roles} (wire names such as {@code data-owner}),
   * valid from {@code now} for {@code validity} but never past the root's own end.
   */
  public OrgCertificate issue(OrgId org, List<String> roles, VerifyingKey key, Instant now, Duration validity) {
    if (roles.isEmpty()) throw new MalformedInputException("a certificate for " + org + " needs at least one role");
    Instant from = now.truncatedTo(ChronoUnit.SECONDS);
    Instant until = from.plus(validity);
    if (until.isAfter(root.notAfter())) until = root.notAfter();
    if (!until.isAfter(from)) throw new MalformedInputException("the consortium root expired at " + root.notAfter() + "; make a new root first");
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, org.value()).build();
    SubjectPublicKeyInfo spki = publicKeyInfo(key);
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(root.subject(), serial(), Date.from(from), Date.from(until), subject, spki);
    try {
      BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(roles.stream().map(r -> new GeneralName(GeneralName.uniformResourceIdentifier, OrgCertificate.ROLE_URI_PREFIX + r)).toArray(GeneralName[]::new)));
      b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(spki));
      b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(publicKeyInfo(rootKey.verifyingKey())));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode the extensions of " + org + "'s certificate", e);
    }
    if (key.suite() != rootKey.suite()) {
      throw new MalformedInputException("the consortium runs on the " + rootKey.suite().id() + " crypto suite, but " + org + "'s key is a "
          + key.suite().id() + " key; create the organisation's keys under " + rootKey.suite().id());
    }
    return OrgCertificate.of(b.build(new CertificateAlgorithms.KeySigner(rootKey)));
  }

  /** Signs {@code message} with the root key: how ORG_REVOKED carries the authority's decision. */
  public io.covenant.core.crypto.Signature sign(byte[] message) {
    return rootKey.sign(message);
  }

  static SubjectPublicKeyInfo publicKeyInfo(VerifyingKey key) {
    return CertificateAlgorithms.publicKeyInfo(key);
  }

  /** The consortium's crypto suite: its root key's. */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return rootKey.suite();
  }

  private static BigInteger serial() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    b[0] &= 0x7f; // positive, as RFC 5280 section 4.1.2.2 requires
    return new BigInteger(b).max(BigInteger.ONE);
  }

  @Override
  public String toString() {
    return "CertificateAuthority[" + root.subjectName() + ", key redacted]";
  }

  /** A ContentSigner over an opaque Ed25519 {@link SigningKey} (device certificates); both suites' roots use {@link CertificateAlgorithms.KeySigner}. */
  static final class Ed25519ContentSigner implements ContentSigner {
    private final SigningKey key;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    Ed25519ContentSigner(SigningKey key) {
      this.key = key;
    }

    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return ED25519;
    }

    public OutputStream getOutputStream() {
      return buffer;
    }

    public byte[] getSignature() {
      return key.sign(buffer.toByteArray()).bytes();
    }
  }
}
