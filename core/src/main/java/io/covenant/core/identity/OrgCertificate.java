package io.covenant.core.identity;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * An X.509 v3 certificate (RFC 5280) of the consortium: either its root (a CA certificate) or an organisation's,
 * binding the organisation's name ({@code CN}) and roles (subject alternative name URIs
 * {@code urn:covenant:role:<role>}) to its Ed25519 signing key (RFC 8410) for a validity period. Immutable; it holds
 * public material only.
 */
public final class OrgCertificate {
  /** The prefix of the subject alternative name URIs that carry an organisation's roles. */
  public static final String ROLE_URI_PREFIX = "urn:covenant:role:";

  private final byte[] der;
  private final X509CertificateHolder holder;

  private OrgCertificate(byte[] der, X509CertificateHolder holder) {
    this.der = der;
    this.holder = holder;
  }

  static OrgCertificate of(X509CertificateHolder holder) {
    try {
      return new OrgCertificate(holder.getEncoded(), holder);
    } catch (IOException e) {
      throw new MalformedInputException("the certificate cannot be encoded: " + e.getMessage(), e);
    }
  }

  /** Reads a DER-encoded certificate; anything else is refused as malformed. */
  public static OrgCertificate fromDer(byte[] der) {
    try {
      return new OrgCertificate(der.clone(), new X509CertificateHolder(der));
    } catch (IOException | RuntimeException e) {
      throw new MalformedInputException("not a DER-encoded X.509 certificate (" + e.getMessage() + ")");
    }
  }

  /** Reads the base64 of a DER certificate, the form ORG_REGISTERED and consortium.json carry. */
  public static OrgCertificate parse(String base64) {
    try {
      return fromDer(Base64.getDecoder().decode(base64 == null ? "" : base64.strip()));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("a certificate must be the base64 of its DER encoding");
    }
  }

  /** Reads a PEM file's text ({@code -----BEGIN CERTIFICATE-----}). */
  public static OrgCertificate fromPem(String pem) {
    String body = pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "").replaceAll("\\s", "");
    return parse(body);
  }

  public byte[] der() {
    return der.clone();
  }

  public String base64() {
    return Base64.getEncoder().encodeToString(der);
  }

  public String pem() {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END CERTIFICATE-----\n";
  }

  /**
   * The hash of the DER encoding under the suite of the certificate's signature ({@link #suite}: SHA-256 for an
   * Ed25519-signed certificate, SM3 for an SM3withSM2-signed one): how ORG_REVOKED names the certificate it revokes.
   */
  public Digest fingerprint() {
    return suite().hash(der);
  }

  /**
   * The crypto suite of the key that signed this certificate, read from its signature algorithm (SM3withSM2: national;
   * otherwise international). In a national consortium every certificate is SM2-signed, transport certificates included.
   */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return CertificateAlgorithms.SM3_WITH_SM2.getAlgorithm().equals(holder.getSignatureAlgorithm().getAlgorithm())
        ? io.covenant.core.crypto.CryptoSuite.SM : io.covenant.core.crypto.CryptoSuite.INTL;
  }

  /** The subject's common name: the organisation's id, or the consortium's name for the root. */
  public String subjectName() {
    return commonName(holder.getSubject());
  }

  public String issuerName() {
    return commonName(holder.getIssuer());
  }

  /** The organisation this certificate names, if its common name is a valid organisation id. */
  public Optional<OrgId> org() {
    try {
      return Optional.of(new OrgId(subjectName()));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The roles carried as {@code urn:covenant:role:*} subject alternative names, in the certificate's order. */
  public List<String> roles() {
    Extension san = holder.getExtension(Extension.subjectAlternativeName);
    if (san == null) return List.of();
    List<String> roles = new ArrayList<>();
    for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
      if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
        String uri = n.getName().toString();
        if (uri.startsWith(ROLE_URI_PREFIX)) roles.add(uri.substring(ROLE_URI_PREFIX.length()));
      }
    }
    return List.copyOf(roles);
  }

  /** The subject's serialNumber attribute (a device certificate's VIN), if any. */
  public Optional<String> subjectSerialNumber() {
    RDN[] sn = holder.getSubject().getRDNs(BCStyle.SERIALNUMBER);
    return sn.length == 0 ? Optional.empty() : Optional.of(IETFUtils.valueToString(sn[0].getFirst().getValue()));
  }

  /** The maker named by a device certificate's {@code urn:covenant:device-of:*} subject alternative name, if any. */
  public Optional<String> deviceOf() {
    Extension san = holder.getExtension(Extension.subjectAlternativeName);
    if (san == null) return Optional.empty();
    for (GeneralName n : GeneralNames.getInstance(san.getParsedValue()).getNames()) {
      if (n.getTagNo() == GeneralName.uniformResourceIdentifier) {
        String uri = n.getName().toString();
        if (uri.startsWith(DeviceCertificates.DEVICE_OF_URI_PREFIX)) return Optional.of(uri.substring(DeviceCertificates.DEVICE_OF_URI_PREFIX.length()));
      }
    }
    return Optional.empty();
  }

  public Instant notBefore() {
    return holder.getNotBefore().toInstant();
  }

  public Instant notAfter() {
    return holder.getNotAfter().toInstant();
  }

  public boolean validAt(Instant at) {
    return !at.isBefore(notBefore()) && !at.isAfter(notAfter());
  }

  public String serialHex() {
    return holder.getSerialNumber().toString(16);
  }

  /** Whether basic constraints mark this certificate as a certificate authority. */
  public boolean isCa() {
    BasicConstraints bc = BasicConstraints.fromExtensions(holder.getExtensions());
    return bc != null && bc.isCA();
  }

  /** Whether key usage allows {@code usage} (a {@link KeyUsage} bit). A certificate without key usage allows nothing here. */
  boolean allows(int usage) {
    KeyUsage ku = KeyUsage.fromExtensions(holder.getExtensions());
    return ku != null && ku.hasUsages(usage);
  }

  /** The Ed25519 or SM2 key the certificate is for, or empty if it certifies a key of another algorithm. */
  public Optional<VerifyingKey> subjectKey() {
    return CertificateAlgorithms.keyOf(holder.getSubjectPublicKeyInfo());
  }

  /**
   * Whether {@code issuerKey} signed this certificate over the DER of its to-be-signed part: Ed25519 (RFC 8410) or
   * SM3withSM2 (GM/T 0015), the algorithm matching the issuer key's suite.
   */
  public boolean signedBy(VerifyingKey issuerKey) {
    try {
      byte[] tbs = holder.toASN1Structure().getTBSCertificate().getEncoded(ASN1Encoding.DER);
      return CertificateAlgorithms.verifies(holder.getSignatureAlgorithm().getAlgorithm(), tbs, holder.getSignature(), issuerKey);
    } catch (IOException e) {
      return false;
    }
  }

  X500Name subject() {
    return holder.getSubject();
  }

  /** The DER value (inside the OCTET STRING) of the extension {@code oid}, if the certificate has it. */
  Optional<byte[]> extensionValue(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
    Extension e = holder.getExtension(oid);
    return e == null ? Optional.empty() : Optional.of(e.getExtnValue().getOctets());
  }

  X500Name issuer() {
    return holder.getIssuer();
  }

  private static String commonName(X500Name name) {
    RDN[] cn = name.getRDNs(BCStyle.CN);
    return cn.length == 0 ? "" : IETFUtils.valueToString(cn[0].getFirst().getValue());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrgCertificate c && Arrays.equals(der, c.der);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(der);
  }

  @Override
  public String toString() {
    return "certificate of " + subjectName() + " by " + issuerName() + ", serial " + serialHex() + ", valid " + notBefore() + " to " + notAfter();
  }
}
