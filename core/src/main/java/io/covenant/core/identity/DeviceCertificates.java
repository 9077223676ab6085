package io.covenant.core.identity;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;

/**
 * The device certificate profile: a vehicle maker certifies the Ed25519 key of each of its vehicles' OBD units, under
 * the consortium identity the maker itself holds (its organisation certificate from {@link CertificateAuthority}).
 *
 * <p>The chain is root → maker → device. The consortium root's path length is 0 (it certifies organisations, not
 * further CAs), so the maker's certificate is not an X.509 CA certificate and RFC 5280 path validation would not
 * accept it as an issuer; instead this profile checks the two links itself: the maker's certificate chains to the
 * pinned root ({@link ConsortiumRoot#problemWith}), and the device certificate is signed by the key that certificate
 * certifies, names the maker as issuer ({@code CN=<maker>}), is an end-entity certificate for digital signatures, and
 * carries the maker in a subject alternative name URI {@code urn:covenant:device-of:<maker>}. A device certificate is
 * therefore only as good as the maker's consortium identity, which is what the vehicle scenario needs: telemetry is
 * lawful if a certified maker vouches for the unit that signed it.
 */
public final class DeviceCertificates {
  /** The prefix of the subject alternative name URI naming the maker that certified a device. */
  public static final String DEVICE_OF_URI_PREFIX = "urn:covenant:device-of:";
  /** How long a device certificate is valid when nothing else is said: ten years, a vehicle's life on the road. */
  public static final Duration DEVICE_VALIDITY = Duration.ofDays(3650);

  private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern VIN = Pattern.compile("[A-HJ-NPR-Z0-9]{17}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private DeviceCertificates() {}

  /**
   * The maker {@code maker}, holding {@code makerKey} (the key its organisation certificate certifies), issues device
   * {@code deviceId} a certificate for {@code deviceKey}, valid from {@code now} for {@code validity}.
   */
  public static OrgCertificate issue(OrgId maker, SigningKey makerKey, String deviceId, String vin, VerifyingKey deviceKey, Instant now, Duration validity) {
    if (vin == null || !VIN.matcher(vin).matches()) throw new MalformedInputException("'" + vin + "' is not a vehicle identification number (17 of A-Z without I, O, Q, and 0-9; ISO 3779)");
    if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
      throw new MalformedInputException("device id '" + deviceId + "' is not 1-64 of letters, digits, '.', '_' and '-'");
    }
    X500Name issuer = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, maker.value()).build();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, maker.value()).addRDN(BCStyle.CN, deviceId).addRDN(BCStyle.SERIALNUMBER, vin).build();
    SubjectPublicKeyInfo spki = CertificateAuthority.publicKeyInfo(deviceKey);
    Instant from = now.truncatedTo(ChronoUnit.SECONDS);
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, serial(), Date.from(from), Date.from(from.plus(validity)), subject, spki);
    try {
      BcX509ExtensionUtils ids = new BcX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, DEVICE_OF_URI_PREFIX + maker.value())));
      b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(CertificateAuthority.publicKeyInfo(makerKey.verifyingKey())));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot encode the extensions of device " + deviceId + "'s certificate", e);
    }
    return OrgCertificate.of(b.build(new CertificateAuthority.Ed25519ContentSigner(makerKey)));
  }

  /**
   * Why {@code device} is not a valid certificate of one of {@code maker}'s devices at {@code at}, given the maker's
   * own organisation certificate {@code makerCertificate} under {@code root}; empty if it is. Checks the maker's
   * certificate against the root first, so a device certified by a maker outside the consortium is refused.
   */
  public static Optional<String> problemWith(OrgCertificate device, OrgId maker, OrgCertificate makerCertificate, ConsortiumRoot root, Instant at) {
    VerifyingKey makerKey = makerCertificate.subjectKey().orElse(null);
    if (makerKey == null) return Optional.of("the maker's certificate is not for an Ed25519 key");
    Optional<String> makerProblem = root.problemWith(makerCertificate, maker, makerKey, at);
    if (makerProblem.isPresent()) return Optional.of("maker " + maker + " is not certified by the consortium: " + makerProblem.get());
    return problemWith(device, maker, makerKey, at);
  }

  /** As {@link #problemWith(OrgCertificate, OrgId, OrgCertificate, ConsortiumRoot, Instant)}, with the maker's key already trusted. */
  public static Optional<String> problemWith(OrgCertificate device, OrgId maker, VerifyingKey makerKey, Instant at) {
    if (!device.issuerName().equals(maker.value()) || !device.signedBy(makerKey)) {
      return Optional.of("the device certificate of '" + device.subjectName() + "' is not signed by maker " + maker + " (issuer '" + device.issuerName() + "')");
    }
    if (device.isCa()) return Optional.of("the device certificate of '" + device.subjectName() + "' is a CA certificate");
    if (!device.allows(KeyUsage.digitalSignature)) return Optional.of("the device certificate of '" + device.subjectName() + "' does not allow digital signatures");
    if (!device.deviceOf().equals(Optional.of(maker.value()))) {
      return Optional.of("the device certificate of '" + device.subjectName() + "' does not name " + maker + " as its maker");
    }
    if (!device.validAt(at)) {
      return Optional.of("the device certificate of '" + device.subjectName() + "' is not valid at " + at + " (valid " + device.notBefore() + " to " + device.notAfter() + ")");
    }
    return Optional.empty();
  }

  private static BigInteger serial() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    b[0] &= 0x7f;
    return new BigInteger(b).max(BigInteger.ONE);
  }
}
