package io.covenant.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.junit.jupiter.api.Test;

/**
 * SM2 signatures as the national suite makes them, against the worked example of GB/T 32918.2-2016 Appendix A.2
 * (signature over the 256-bit prime-field test curve of Appendix A.1, user "ALICE123@YAHOO.COM", message "message
 * digest", with the standard's fixed random k injected), and the suite's own keys on sm2p256v1 round-tripping.
 */
class Sm2MatchesGbT32918Example {
  private static final HexFormat HEX = HexFormat.of();

  private static BigInteger h(String hex) {
    return new BigInteger(hex, 16);
  }

  // GB/T 32918.2-2016 Appendix A.1: the test curve over Fp-256 (not the recommended sm2p256v1 curve).
  private static final BigInteger P = h("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3");
  private static final BigInteger A = h("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498");
  private static final BigInteger B = h("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A");
  private static final BigInteger GX = h("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D");
  private static final BigInteger GY = h("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2");
  private static final BigInteger N = h("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7");
  private static final ECCurve CURVE = new ECCurve.Fp(P, A, B, N, BigInteger.ONE);
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE, CURVE.createPoint(GX, GY), N);

  // GB/T 32918.2-2016 Appendix A.2: the signer's key, identifier, message, random k and the published signature.
  private static final BigInteger D_A = h("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263");
  private static final byte[] ID_A = "ALICE123@YAHOO.COM".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MESSAGE = "message digest".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] K = HEX.parseHex("6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F");
  private static final String R = "40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1";
  private static final String S = "6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7";

  /** A SecureRandom that returns the standard's k, as BouncyCastle's k calculator draws it. */
  private static final class FixedK extends SecureRandom {
    @Override
    public void nextBytes(byte[] bytes) {
      int off = bytes.length - K.length;
      java.util.Arrays.fill(bytes, (byte) 0);
      System.arraycopy(K, Math.max(0, -off), bytes, Math.max(0, off), Math.min(K.length, bytes.length));
    }
  }

  /** GB/T 32918.2-2016 Appendix A.2: with the standard's k, the signature is exactly (r, s) as published. */
  @Test
  void signatureWithTheStandardsKIsThePublishedOne() {
    byte[] sig = Sm2.sign(new ECPrivateKeyParameters(D_A, DOMAIN), MESSAGE, ID_A, new FixedK());
    assertEquals(R + S, HEX.formatHex(sig));
  }

  /** GB/T 32918.2-2016 Appendix A.2: the published signature verifies under the published public key, and not altered. */
  @Test
  void publishedSignatureVerifies() {
    ECPublicKeyParameters pub = new ECPublicKeyParameters(CURVE.createPoint(
        h("0AE4C7798AA0F119471BEE11825BE46202BB79E2A5844495E97C04FF4DF2548A"), h("7C0240F88F1CD4E16352A73C17B7F16F07353E53A176D684A9FE0C6BB798E857")), DOMAIN);
    assertEquals(pub.getQ(), DOMAIN.getG().multiply(D_A).normalize(), "the published public key is dA * G");
    byte[] sig = HEX.parseHex(R + S);
    assertTrue(Sm2.verify(pub, MESSAGE, sig, ID_A));
    assertFalse(Sm2.verify(pub, "message digesT".getBytes(StandardCharsets.US_ASCII), sig, ID_A), "another message");
    assertFalse(Sm2.verify(pub, MESSAGE, sig, Sm2.ID), "another distinguishing identifier (Z_A differs)");
  }

  /** The suite's SM2 keys on sm2p256v1 with the GM/T 0009 default identifier: sign, verify, refuse another message. */
  @Test
  void suiteKeysSignAndVerify() {
    SigningKey key = CryptoSuite.SM.generateSigningKey();
    assertEquals(CryptoSuite.SM, key.suite());
    assertEquals(33, key.verifyingKey().bytes().length);
    assertEquals(CryptoSuite.SM, key.verifyingKey().suite());
    byte[] m = "ORG_REGISTERED".getBytes(StandardCharsets.US_ASCII);
    Signature s = key.sign(m);
    assertTrue(key.verifyingKey().verify(m, s));
    assertFalse(key.verifyingKey().verify("ORG_REVOKED".getBytes(StandardCharsets.US_ASCII), s));
    assertFalse(CryptoSuite.SM.generateSigningKey().verifyingKey().verify(m, s), "another key");
    SigningKey restored = SigningKey.fromSeed(key.seedForKeystore());
    assertEquals(key.verifyingKey(), restored.verifyingKey());
    assertEquals(key.verifyingKey(), VerifyingKey.parse(key.verifyingKey().hex()));
  }

  /** The national key sealing round-trips, binds info and AAD, and the keystore form restores the pair. */
  @Test
  void sm2KemSealsAndOpens() {
    HpkeKeyPair pair = CryptoSuite.SM.generateSealingKeys();
    assertEquals(CryptoSuite.SM, pair.publicKey().suite());
    byte[] info = "covenant/result/v1".getBytes(StandardCharsets.US_ASCII);
    byte[] aad = "job-1".getBytes(StandardCharsets.US_ASCII);
    SealedMessage sealed = HpkeKeyPair.seal(pair.publicKey(), info, aad, "result".getBytes(StandardCharsets.US_ASCII));
    assertArrayEquals("result".getBytes(StandardCharsets.US_ASCII), HpkeKeyPair.fromPrivate(pair.privateForKeystore()).open(sealed, info, aad));
    SealedMessage again = HpkeKeyPair.seal(pair.publicKey(), info, aad, "result".getBytes(StandardCharsets.US_ASCII));
    assertNotEquals(HEX.formatHex(sealed.toBytes()), HEX.formatHex(again.toBytes()), "each seal encapsulates a fresh secret");
    org.junit.jupiter.api.Assertions.assertThrows(io.covenant.core.error.IntegrityException.class,
        () -> pair.open(sealed, info, "job-2".getBytes(StandardCharsets.US_ASCII)));
    org.junit.jupiter.api.Assertions.assertThrows(io.covenant.core.error.IntegrityException.class,
        () -> CryptoSuite.SM.generateSealingKeys().open(sealed, info, aad));
  }
}
