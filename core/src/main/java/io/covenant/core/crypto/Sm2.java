package io.covenant.core.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECPoint;

/**
 * SM2 over the recommended curve sm2p256v1 (GB/T 32918.5), with BouncyCastle's {@link SM2Signer}: signatures per GB/T
 * 32918.2 §6 with SM3, the signer's distinguishing identifier folded into Z_A (§5.5) and fixed to the default of
 * GM/T 0009-2012 §10 ({@value #DEFAULT_ID}), as X.509 certificates with SM2 keys use it. Signatures are r || s as two
 * 32-byte big-endian integers (GM/T 0009 §7.3 allows that "plain" form besides DER), so that a signature has 64 bytes
 * under either suite. Public keys are SEC 1 compressed points (33 bytes), which is how a key says it is SM2.
 */
final class Sm2 {
  /** The default user identifier of GM/T 0009-2012 §10, "1234567812345678" as ASCII. */
  static final String DEFAULT_ID = "1234567812345678";
  static final byte[] ID = DEFAULT_ID.getBytes(StandardCharsets.US_ASCII);
  // BouncyCastle's custom implementation of the curve (SM2P256V1Curve), about four times faster than the generic one GMNamedCurves returns.
  static final X9ECParameters CURVE = CustomNamedCurves.getByName("sm2p256v1");
  static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
  /** Tag byte of an SM2 private key in a keystore ('S'): 33 bytes, where an Ed25519 seed or X25519 key has 32. */
  static final byte KEYSTORE_TAG = 0x53;

  private static final SecureRandom RANDOM = new SecureRandom();

  private Sm2() {}

  static ECPrivateKeyParameters generatePrivate() {
    BigInteger n = DOMAIN.getN();
    BigInteger d;
    do {
      d = new BigInteger(n.bitLength(), RANDOM);
    } while (d.signum() == 0 || d.compareTo(n.subtract(BigInteger.TWO)) > 0); // GB/T 32918.1 §6.1: d in [1, n-2]
    return new ECPrivateKeyParameters(d, DOMAIN);
  }

  static ECPrivateKeyParameters privateFromKeystore(byte[] tagged) {
    BigInteger d = new BigInteger(1, java.util.Arrays.copyOfRange(tagged, 1, 33));
    if (d.signum() == 0 || d.compareTo(DOMAIN.getN().subtract(BigInteger.TWO)) > 0) {
      throw new io.covenant.core.error.MalformedInputException("the SM2 private key is outside [1, n-2]");
    }
    return new ECPrivateKeyParameters(d, DOMAIN);
  }

  static byte[] keystoreForm(ECPrivateKeyParameters key) {
    byte[] out = new byte[33];
    out[0] = KEYSTORE_TAG;
    byte[] d = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, key.getD());
    System.arraycopy(d, 0, out, 1, 32);
    java.util.Arrays.fill(d, (byte) 0);
    return out;
  }

  static boolean isKeystoreForm(byte[] b) {
    return b != null && b.length == 33 && b[0] == KEYSTORE_TAG;
  }

  static ECPublicKeyParameters publicOf(ECPrivateKeyParameters key) {
    return new ECPublicKeyParameters(DOMAIN.getG().multiply(key.getD()).normalize(), DOMAIN);
  }

  static byte[] compressed(ECPublicKeyParameters key) {
    return key.getQ().getEncoded(true);
  }

  /** Decodes a SEC 1 point (compressed or not) and checks it is on the curve and not the identity. */
  static ECPublicKeyParameters publicFrom(byte[] point) {
    ECPoint q = CURVE.getCurve().decodePoint(point).normalize();
    if (q.isInfinity() || !q.isValid()) throw new IllegalArgumentException("not a point of sm2p256v1");
    return new ECPublicKeyParameters(q, DOMAIN);
  }

  static byte[] sign(ECPrivateKeyParameters key, byte[] message) {
    return sign(key, message, ID, RANDOM);
  }

  /** GB/T 32918.2 §6.1 with SM3; {@code random} supplies k (tests inject the standard's k through it). */
  static byte[] sign(ECPrivateKeyParameters key, byte[] message, byte[] id, SecureRandom random) {
    SM2Signer s = new SM2Signer(PlainDSAEncoding.INSTANCE);
    s.init(true, new ParametersWithID(new ParametersWithRandom(key, random), id));
    s.update(message, 0, message.length);
    try {
      return s.generateSignature();
    } catch (CryptoException e) {
      throw new IllegalStateException("SM2 signing failed", e);
    }
  }

  static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] signature) {
    return verify(key, message, signature, ID);
  }

  static boolean verify(ECPublicKeyParameters key, byte[] message, byte[] signature, byte[] id) {
    SM2Signer v = new SM2Signer(PlainDSAEncoding.INSTANCE);
    v.init(false, new ParametersWithID(key, id));
    v.update(message, 0, message.length);
    return v.verifySignature(signature);
  }
}
