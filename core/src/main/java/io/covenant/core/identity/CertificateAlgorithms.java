package io.covenant.core.identity;

import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.util.BigIntegers;

/**
 * How the two crypto suites' keys and signatures appear in X.509 (RFC 5280) certificates:
 *
 * <ul>
 *   <li>international: Ed25519 keys and signatures per RFC 8410 (algorithm id-Ed25519, no parameters, the raw 32-byte
 *       key and 64-byte signature);
 *   <li>national: SM2 keys as id-ecPublicKey with the named curve sm2p256v1 (1.2.156.10197.1.301) and an uncompressed
 *       point, signatures SM3withSM2 (1.2.156.10197.1.501) whose value is the DER SEQUENCE {r, s} (GM/T 0015-2012
 *       section 7, GM/T 0009-2012 section 7.3), made with the default distinguishing identifier "1234567812345678" that
 *       GM/T 0015 prescribes for certificates.
 * </ul>
 */
final class CertificateAlgorithms {
  static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
  static final AlgorithmIdentifier SM3_WITH_SM2 = new AlgorithmIdentifier(GMObjectIdentifiers.sm2sign_with_sm3);
  private static final AlgorithmIdentifier SM2_KEY = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, GMObjectIdentifiers.sm2p256v1);

  private CertificateAlgorithms() {}

  static SubjectPublicKeyInfo publicKeyInfo(VerifyingKey key) {
    if (!key.suite().isNational()) return new SubjectPublicKeyInfo(ED25519, key.bytes());
    byte[] uncompressed = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("sm2p256v1").getCurve().decodePoint(key.bytes()).getEncoded(false);
    return new SubjectPublicKeyInfo(SM2_KEY, uncompressed);
  }

  /** The Ed25519 or SM2 key a SubjectPublicKeyInfo holds, or empty for any other algorithm or curve. */
  static Optional<VerifyingKey> keyOf(SubjectPublicKeyInfo spki) {
    AlgorithmIdentifier alg = spki.getAlgorithm();
    byte[] raw = spki.getPublicKeyData().getOctets();
    if (EdECObjectIdentifiers.id_Ed25519.equals(alg.getAlgorithm())) return raw.length == 32 ? Optional.of(VerifyingKey.of(raw)) : Optional.empty();
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm()) && GMObjectIdentifiers.sm2p256v1.equals(alg.getParameters())) {
      try {
        return Optional.of(VerifyingKey.of(org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("sm2p256v1").getCurve().decodePoint(raw).getEncoded(true)));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  static AlgorithmIdentifier signatureAlgorithm(SigningKey key) {
    return key.suite().isNational() ? SM3_WITH_SM2 : ED25519;
  }

  /** Whether {@code issuerKey} made {@code signatureValue} over {@code tbs} under the certificate's signature algorithm. */
  static boolean verifies(ASN1ObjectIdentifier algorithm, byte[] tbs, byte[] signatureValue, VerifyingKey issuerKey) {
    if (EdECObjectIdentifiers.id_Ed25519.equals(algorithm)) {
      return !issuerKey.suite().isNational() && signatureValue.length == 64 && issuerKey.verify(tbs, Signature.of(signatureValue));
    }
    if (GMObjectIdentifiers.sm2sign_with_sm3.equals(algorithm)) {
      if (!issuerKey.suite().isNational()) return false;
      try {
        ASN1Sequence rs = ASN1Sequence.getInstance(signatureValue);
        if (rs.size() != 2) return false;
        BigInteger r = ASN1Integer.getInstance(rs.getObjectAt(0)).getPositiveValue();
        BigInteger s = ASN1Integer.getInstance(rs.getObjectAt(1)).getPositiveValue();
        if (r.bitLength() > 256 || s.bitLength() > 256) return false;
        byte[] plain = new byte[64];
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, r), 0, plain, 0, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, s), 0, plain, 32, 32);
        return issuerKey.verify(tbs, Signature.of(plain));
      } catch (RuntimeException e) {
        return false;
      }
    }
    return false;
  }

  /** The certificate signature value for the suite: the 64 raw bytes (Ed25519) or DER {r, s} (SM2). */
  static byte[] signatureValue(SigningKey key, byte[] tbs) {
    byte[] sig = key.sign(tbs).bytes();
    if (!key.suite().isNational()) return sig;
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded(ASN1Encoding.DER);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode an SM2 signature", e);
    }
  }

  /** A ContentSigner over an opaque {@link SigningKey} of either suite: the whole to-be-signed part is buffered. */
  static final class KeySigner implements ContentSigner {
    private final SigningKey key;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    KeySigner(SigningKey key) {
      this.key = key;
    }

    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return signatureAlgorithm(key);
    }

    public OutputStream getOutputStream() {
      return buffer;
    }

    public byte[] getSignature() {
      return signatureValue(key, buffer.toByteArray());
    }
  }
}
