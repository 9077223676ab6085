package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.security.spec.XECPrivateKeySpec;
import javax.crypto.KeyAgreement;

/**
 * X25519 key agreement (RFC 7748) from the JDK's XDH provider: the KA of Bonawitz et al.'s secure aggregation
 * ("Practical Secure Aggregation for Privacy-Preserving Machine Learning", CCS 2017, §4), fixed by the protocol as
 * Covenant runs it (its messages carry X.509-encoded X25519 keys), whatever the consortium's suite (see
 * {@link FixedAlgorithms}).
 */
public final class SecAggKeyAgreement {
  private SecAggKeyAgreement() {}

  public static KeyPair generate(SecureRandom random) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
      g.initialize(NamedParameterSpec.X25519, random);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's X25519 is unavailable", e);
    }
  }

  /** The public key as its X.509 SubjectPublicKeyInfo (44 bytes). */
  public static byte[] encode(PublicKey key) {
    return key.getEncoded();
  }

  public static PublicKey decodePublic(byte[] encoded) {
    try {
      return KeyFactory.getInstance("XDH").generatePublic(new X509EncodedKeySpec(encoded));
    } catch (GeneralSecurityException | ClassCastException e) {
      throw new MalformedInputException("a public key that is not an X25519 key", e);
    }
  }

  /** The 32-byte private scalar: what is secret-shared so that a dropped party's masks can be removed. */
  public static byte[] scalar(PrivateKey key) {
    return ((XECPrivateKey) key).getScalar().orElseThrow(() -> new IllegalStateException("the X25519 private key does not expose its scalar"));
  }

  public static PrivateKey privateFromScalar(byte[] scalar) {
    try {
      return KeyFactory.getInstance("XDH").generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's XDH key factory is unavailable", e);
    }
  }

  /** The 32-byte shared secret; refuses a low-order public key (all-zero result, RFC 7748 §6.1). */
  public static byte[] agree(PrivateKey own, PublicKey peer) {
    try {
      KeyAgreement ka = KeyAgreement.getInstance("XDH");
      ka.init(own);
      ka.doPhase(peer, true);
      return ka.generateSecret();
    } catch (GeneralSecurityException e) {
      throw new MalformedInputException("X25519 key agreement failed: the peer's public key is invalid (" + e.getClass().getSimpleName() + ")");
    }
  }
}
