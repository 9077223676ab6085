package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SM3Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The algorithms a consortium runs on, chosen once when its root is made ({@code ca init --suite intl|sm}) and never
 * mixed within one ledger. Every signature, hash, AEAD, key-sealing (KEM) and key-derivation step of Covenant goes
 * through one of the two suites:
 *
 * <table>
 *   <tr><th></th><th>{@link #INTL} ({@code intl})</th><th>{@link #SM} ({@code sm}, Chinese national standards)</th></tr>
 *   <tr><td>signature</td><td>Ed25519 (RFC 8032)</td><td>SM2 with SM3 (GB/T 32918.2, distinguishing identifier of
 *       GM/T 0009 §10: {@value Sm2#DEFAULT_ID}), r || s as 64 bytes</td></tr>
 *   <tr><td>hash</td><td>SHA-256 (FIPS 180-4)</td><td>SM3 (GB/T 32905)</td></tr>
 *   <tr><td>AEAD</td><td>AES-256-GCM (NIST SP 800-38D)</td><td>SM4-GCM (GB/T 32907 block cipher in the GCM mode of
 *       SP 800-38D, as RFC 8998 uses it)</td></tr>
 *   <tr><td>key sealing</td><td>HPKE base mode, DHKEM(X25519, HKDF-SHA256), AES-256-GCM (RFC 9180)</td><td>SM2
 *       public-key encryption (GB/T 32918.4) of a fresh secret as the KEM, HKDF-SM3, SM4-GCM ({@link Sm2Kem})</td></tr>
 *   <tr><td>KDF</td><td>HKDF-SHA256 (RFC 5869)</td><td>HKDF-SM3 (RFC 5869 over SM3)</td></tr>
 * </table>
 *
 * <p>A key knows its suite (an SM2 public key is 33 bytes, an Ed25519 or X25519 one 32; an SM2 private key in a keystore
 * is tagged), so code that signs, verifies or seals with a key needs no suite argument; only the steps without a key
 * (hashing a Merkle tree, a manifest, a block) take one, and their overloads without it keep to {@link #INTL}.
 */
public sealed interface CryptoSuite permits CryptoSuite.International, CryptoSuite.National {
  CryptoSuite INTL = new International();
  CryptoSuite SM = new National();

  /** The suite's name in records and on the command line: {@code intl} or {@code sm}. */
  String id();

  String signatureAlgorithm();

  String hashAlgorithm();

  String aeadAlgorithm();

  String kemAlgorithm();

  String kdfAlgorithm();

  /** The multihash code of the suite's hash in the multiformats table (sha2-256 0x12, sm3-256 0x534d). */
  long multihashCode();

  SigningKey generateSigningKey();

  HpkeKeyPair generateSealingKeys();

  /**
   * The multiformats name of the suite's CID hash ({@code sha2-256} or {@code sm3-256}), as the coordinator's block
   * route takes it ({@code PUT /api/blocks?hash=}).
   */
  default String multihashName() {
    return isNational() ? SM3_256_NAME : io.covenant.core.cid.Cid.SHA2_256_NAME;
  }

  /** The suite whose CID hash {@link #multihashName} names; anything else is refused by name. */
  static CryptoSuite ofMultihashName(String name) {
    for (CryptoSuite s : all()) if (s.multihashName().equals(name)) return s;
    throw new io.covenant.core.error.MalformedInputException("hash '" + name + "' is not one Covenant addresses blocks by; give "
        + io.covenant.core.cid.Cid.SHA2_256_NAME + " (the international suite) or " + SM3_256_NAME + " (the national suite)");
  }

  /** The multiformats table's name for SM3's multihash (code 0x534d). */
  String SM3_256_NAME = "sm3-256";

  /** A fresh message digest of the suite's hash (SHA-256 from the JDK, SM3 from BouncyCastle). */
  MessageDigest newHash();

  default Digest hash(byte[] data) {
    return hash(data, 0, data.length);
  }

  default Digest hash(byte[] data, int off, int len) {
    MessageDigest md = newHash();
    md.update(data, off, len);
    return Digest.of(md.digest());
  }

  /** HKDF (RFC 5869) over the suite's hash: extract with {@code salt}, expand with {@code info} to {@code length} bytes. */
  default byte[] kdf(byte[] ikm, byte[] salt, byte[] info, int length) {
    HKDFBytesGenerator hkdf = new HKDFBytesGenerator(this == SM ? new SM3Digest() : new SHA256Digest());
    hkdf.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[length];
    hkdf.generateBytes(out, 0, length);
    return out;
  }

  /** HMAC (RFC 2104) over the suite's hash: HMAC-SHA256 (the JDK's, for {@link #INTL}) or HMAC-SM3, with a 32-byte tag. */
  default byte[] hmac(byte[] key, byte[] data) {
    org.bouncycastle.crypto.macs.HMac mac = new org.bouncycastle.crypto.macs.HMac(this == SM ? new SM3Digest() : new SHA256Digest());
    mac.init(new org.bouncycastle.crypto.params.KeyParameter(key));
    mac.update(data, 0, data.length);
    byte[] out = new byte[mac.getMacSize()];
    mac.doFinal(out, 0);
    return out;
  }

  default boolean isNational() {
    return this instanceof National;
  }

  static List<CryptoSuite> all() {
    return List.of(INTL, SM);
  }

  /** The suite named {@code id} ({@code intl} or {@code sm}); anything else is refused with the names that exist. */
  static CryptoSuite parse(String id) {
    if ("intl".equals(id)) return INTL;
    if ("sm".equals(id)) return SM;
    throw new MalformedInputException("crypto suite '" + id + "' is unknown: use 'intl' (Ed25519, SHA-256, AES-256-GCM, X25519) or 'sm' (SM2, SM3, SM4)");
  }

  /** The suite a verifying key belongs to. */
  static CryptoSuite of(VerifyingKey key) {
    return key.suite();
  }

  /** Ed25519, SHA-256, AES-256-GCM, HPKE with X25519, HKDF-SHA256. */
  record International() implements CryptoSuite {
    public String id() {
      return "intl";
    }

    public String signatureAlgorithm() {
      return "Ed25519";
    }

    public String hashAlgorithm() {
      return "SHA-256";
    }

    public String aeadAlgorithm() {
      return "AES-256-GCM";
    }

    public String kemAlgorithm() {
      return "HPKE DHKEM(X25519, HKDF-SHA256), AES-256-GCM";
    }

    public String kdfAlgorithm() {
      return "HKDF-SHA256";
    }

    public long multihashCode() {
      return 0x12;
    }

    public SigningKey generateSigningKey() {
      return SigningKey.generate();
    }

    public HpkeKeyPair generateSealingKeys() {
      return HpkeKeyPair.generate();
    }

    public MessageDigest newHash() {
      return Digest.newSha256();
    }

    /** HMAC-SHA256 from the JDK, whose SHA-256 runs on the JIT's SHA-NI intrinsic (subject digests are made per row). */
    @Override
    public byte[] hmac(byte[] key, byte[] data) {
      try {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("the JDK has no HmacSHA256", e);
      }
    }

    /** SHA-256 in 64 KiB pieces, so that large blocks run on the JIT's SHA-NI intrinsic ({@link Digest#sha256(byte[], int, int)}). */
    @Override
    public Digest hash(byte[] data, int off, int len) {
      return Digest.sha256(data, off, len);
    }

    @Override
    public String toString() {
      return id();
    }
  }

  /** SM2 (with SM3 and the GM/T 0009 identifier), SM3, SM4-GCM, SM2 encryption as KEM, HKDF-SM3. */
  record National() implements CryptoSuite {
    public String id() {
      return "sm";
    }

    public String signatureAlgorithm() {
      return "SM2-with-SM3";
    }

    public String hashAlgorithm() {
      return "SM3";
    }

    public String aeadAlgorithm() {
      return "SM4-GCM";
    }

    public String kemAlgorithm() {
      return "SM2 encryption KEM, HKDF-SM3, SM4-GCM";
    }

    public String kdfAlgorithm() {
      return "HKDF-SM3";
    }

    public long multihashCode() {
      return 0x534d;
    }

    public SigningKey generateSigningKey() {
      return SigningKey.generateSm2();
    }

    public HpkeKeyPair generateSealingKeys() {
      return HpkeKeyPair.generateSm2();
    }

    public MessageDigest newHash() {
      return new Sm3MessageDigest();
    }

    @Override
    public String toString() {
      return id();
    }
  }
}
