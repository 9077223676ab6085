package io.covenant.core.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;

/**
 * The algorithms that do not follow the consortium's {@link CryptoSuite}, each because an external specification, a
 * published protocol or a file format fixes it. Every module takes them from here, so that "no module names an
 * algorithm outside core" holds literally (a test, {@code NoModuleNamesAnAlgorithmOutsideCore}, scans the other modules'
 * sources) and a reader sees in one place what stays international under the national suite, and why.
 *
 * <ul>
 *   <li><b>TEE measurements</b>: SHA-384, because AMD SEV-SNP's launch digest (SEV-SNP Firmware ABI Specification,
 *       MEASUREMENT, 48 bytes) and Intel TDX's MRTD and RTMRs (Intel TDX Module Base Architecture Specification) are
 *       SHA-384 values that the hardware computes and reports; an enclave image predicts them.</li>
 *   <li><b>Private set intersection</b>: SHA-256 and NIST P-256, because ECDH-PSI hashes to the curve with RFC 9380's
 *       suite {@code P256_XMD:SHA-256_SSWU_RO_}, and both PSI protocols' wire formats (id digests, KKRT16 OPRF outputs,
 *       ECDH tags, base-OT hashing) fix SHA-256 so that the two parties hash alike; AES-128 as the fixed-key PRF/PRG of
 *       KKRT16 (Kolesnikov, Kumaresan, Rosulek, Trieu, CCS 2016, §4 pseudorandom code) and of IKNP OT extension.</li>
 *   <li><b>Replicated secret sharing</b>: AES-256-CTR as the PRF F that expands the pairwise keys into correlated
 *       randomness (Araki, Furukawa, Lindell, Nof, Ohara, CCS 2016, §2.2).</li>
 *   <li><b>Secure aggregation</b> (Bonawitz et al., CCS 2017): the key agreement ({@link SecAggKeyAgreement}, X25519),
 *       the authenticated encryption of shares (AES-GCM) and the mask PRG (AES-CTR), as the protocol's messages carry
 *       them between hospitals.</li>
 *   <li><b>Keystores at rest</b>: AES-256-GCM under an Argon2id key (RFC 9106), because a keystore is opened before
 *       anything in it says which suite its keys belong to (the suite is read from the keys it holds), and existing
 *       keystore files must open.</li>
 *   <li><b>Homomorphic-encryption objects</b> ({@link #heObjectDigest}): SHA-256, because the HE engine's digests are
 *       bound into its own messages; the engine refuses a national consortium's jobs.</li>
 *   <li><b>Public fingerprints</b> that protect nothing and that parties must compute alike ({@link #publicFingerprint}).</li>
 * </ul>
 *
 * <p>The IPFS interop hash (sha2-256 CIDs for Kubo) is {@link io.covenant.core.cid.Cid#SHA2_256_NAME}.
 */
public final class FixedAlgorithms {
  private static final String SHA_256 = "SHA-256";
  private static final String SHA_384 = "SHA-384";
  private static final String AES_CTR = "AES/CTR/NoPadding";
  private static final String AES_ECB = "AES/ECB/NoPadding";
  private static final String P256 = "secp256r1";

  /** How tables label a TEE measurement's hash (lower case, as {@code ./covenant worker image} prints it). */
  public static final String TEE_MEASUREMENT_HASH_NAME = "sha-384";

  private FixedAlgorithms() {}

  /**
   * An engine protocol whose own primitives its paper or wire format fixes: under the national suite a scenario on it
   * keeps these internals international while its ledger, identities, storage, key sealing and content identifiers are
   * national. {@link #fixes} says which, for a command to print before it starts (as the TLS caveat is printed).
   */
  public enum EngineProtocol {
    REPLICATED_SHARING("three-party replicated secret sharing keeps AES-256-CTR as the PRF that expands its pairwise keys "
        + "(Araki, Furukawa, Lindell, Nof, Ohara, CCS 2016)"),
    PRIVATE_SET_INTERSECTION("private set intersection keeps NIST P-256 and SHA-256 (ECDH-PSI hashes to the curve with RFC 9380's "
        + "P256_XMD:SHA-256_SSWU_RO_; KKRT16 keeps AES-128 as its pseudorandom code and OT-extension PRG)"),
    SECURE_AGGREGATION("secure aggregation keeps X25519 key agreement, AES-GCM share encryption, an AES-CTR mask PRG and SHA-256 "
        + "mask-key derivation (Bonawitz et al., CCS 2017)"),
    MALICIOUS_SPDZ("SPDZ with MASCOT preprocessing keeps what the FRESCO library fixes: an AES-CTR DRBG, Naor-Pinkas base OTs and "
        + "SHA-256 commitments (Keller, Orsini, Scholl, CCS 2016)");

    private final String fixes;

    EngineProtocol(String fixes) {
      this.fixes = fixes;
    }

    /** What the protocol keeps fixed, in one sentence fragment. */
    public String fixes() {
      return fixes;
    }
  }

  /** SHA-384 for SEV-SNP and TDX measurements (fixed by the AMD and Intel specifications). */
  public static MessageDigest teeMeasurementDigest() {
    return digest(SHA_384);
  }

  /** SHA-256 as RFC 9380's {@code expand_message_xmd} hash and the PSI protocols' random oracle (fixed by their wire formats). */
  public static MessageDigest psiHash() {
    return digest(SHA_256);
  }

  /** NIST P-256 (BouncyCastle's custom curve), the group of ECDH-PSI and of the base OTs (fixed by RFC 9380's suite). */
  public static X9ECParameters psiCurve() {
    return CustomNamedCurves.getByName(P256);
  }

  /**
   * SHA-256 that derives secure aggregation's mask keys from the agreed secrets and seeds (the KDF step of Bonawitz et
   * al.'s PRG seeding as Covenant runs it): every hospital and the aggregator must expand the same masks.
   */
  public static MessageDigest secAggKeyDerivation() {
    return digest(SHA_256);
  }

  /**
   * SHA-256 for fingerprints of public strings that every party must compute alike and that protect nothing: a
   * committee's fingerprint, the seed an FL job's parties derive from its id, the HE sidecar's cache key. Under either
   * suite, so that parties agree and earlier runs reproduce.
   */
  public static MessageDigest publicFingerprint() {
    return digest(SHA_256);
  }

  /**
   * SHA-256 of the homomorphic-encryption engine's objects and messages (SEAL objects, encrypted models, scores, totals):
   * these digests are bound into the engine's own messages (a key's id, the model digest inside the scores, the input
   * digests inside a total), so consumer and owners must hash alike. The HE engine runs in international consortia
   * only: under the national suite it refuses, since its ledger identifiers would be SHA-256 on an SM3 ledger.
   */
  public static MessageDigest heObjectDigest() {
    return digest(SHA_256);
  }

  /** A JDK AES key for the protocol PRFs, PRGs and AEADs above; the caller wipes {@code raw} when done. */
  public static SecretKeySpec aesKey(byte[] raw) {
    return new SecretKeySpec(raw, Aes256Gcm.KEY_ALGORITHM);
  }

  /** An uninitialised AES-CTR cipher: the PRG of OT extension and secure aggregation, the PRF of replicated sharing. */
  public static Cipher aesCtr() {
    return cipher(AES_CTR);
  }

  /** An uninitialised AES-ECB cipher: KKRT16's pseudorandom code, and counter-mode keystreams computed block by block. */
  public static Cipher aesEcb() {
    return cipher(AES_ECB);
  }

  /** An uninitialised AES-GCM cipher: secure aggregation's share encryption and keystores at rest. */
  public static Cipher aesGcm() {
    return Aes256Gcm.newCipher();
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no " + name, e);
    }
  }

  private static Cipher cipher(String transformation) {
    try {
      return Cipher.getInstance(transformation);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no " + transformation, e);
    }
  }
}
