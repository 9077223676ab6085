package io.covenant.mpc.psi;

import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.error.MalformedInputException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Hashing to NIST P-256 with the suite {@code P256_XMD:SHA-256_SSWU_RO_} of RFC 9380 ("Hashing to Elliptic Curves",
 * Faz-Hernandez et al., August 2023): {@code expand_message_xmd} with SHA-256 (§5.3.1), {@code hash_to_field} with
 * L = 48 and count = 2 (§5.2), the simplified Shallue–van de Woestijne–Ulas map with Z = -10 (§6.6.2, suite in §8.2),
 * and {@code hash_to_curve} = map(u0) + map(u1) (§3; P-256 has cofactor 1, so clearing it is the identity). The
 * known-answer vectors of Appendix J.1.1 are checked in {@code HashToCurveMatchesRfc9380Vectors}.
 *
 * <p>The output is a uniformly distributed point whose discrete logarithm nobody knows, which is what the ECDH-PSI
 * needs: H(x)^a reveals nothing about x to a party without a. Field arithmetic is BouncyCastle's; it is not
 * constant-time, so a co-resident process could learn timing about the ids being hashed (documented in the threat
 * model). Thread-safe: instances hold only the domain separation tag.
 */
public final class HashToCurveP256 {
  /** The suite identifier of RFC 9380 §8.2, which every domain separation tag for this suite ends with. */
  public static final String SUITE = "P256_XMD:SHA-256_SSWU_RO_";

  static final X9ECParameters PARAMS = FixedAlgorithms.psiCurve();
  static final ECCurve CURVE = PARAMS.getCurve();
  static final BigInteger P = CURVE.getField().getCharacteristic();
  static final BigInteger ORDER = PARAMS.getN();
  private static final ECFieldElement A = CURVE.getA();
  private static final ECFieldElement B = CURVE.getB();
  private static final ECFieldElement Z = CURVE.fromBigInteger(P.subtract(BigInteger.TEN));
  private static final ECFieldElement ONE = CURVE.fromBigInteger(BigInteger.ONE);
  /** x1 when tv1 = 0 (step 3 of §6.6.2): B / (Z·A). */
  private static final ECFieldElement X_EXCEPTIONAL = B.divide(Z.multiply(A));
  /** -B / A, the factor of step 2. */
  private static final ECFieldElement MINUS_B_OVER_A = B.negate().divide(A);
  private static final int L = 48;

  private final byte[] dstPrime;

  /** @param domainSeparationTag the DST of RFC 9380 §3.1: 1 to 255 bytes, unique to the application and use */
  public HashToCurveP256(byte[] domainSeparationTag) {
    if (domainSeparationTag.length == 0 || domainSeparationTag.length > 255) {
      throw new MalformedInputException("a hash-to-curve domain separation tag has 1 to 255 bytes (RFC 9380 §3.1); this one has "
          + domainSeparationTag.length + ": shorten the job id it is made from");
    }
    dstPrime = Arrays.copyOf(domainSeparationTag, domainSeparationTag.length + 1);
    dstPrime[domainSeparationTag.length] = (byte) domainSeparationTag.length;
  }

  public HashToCurveP256(String domainSeparationTag) {
    this(domainSeparationTag.getBytes(StandardCharsets.UTF_8));
  }

  /** hash_to_curve(msg) of RFC 9380 §3, normalised (affine). */
  public ECPoint hash(byte[] msg) {
    BigInteger[] u = hashToField(msg);
    return mapToCurve(u[0]).add(mapToCurve(u[1])).normalize();
  }

  /** hash_to_field(msg, 2) of RFC 9380 §5.2 for P-256 (L = 48). */
  public BigInteger[] hashToField(byte[] msg) {
    byte[] uniform = expandMessageXmd(msg, 2 * L);
    BigInteger[] u = new BigInteger[2];
    for (int i = 0; i < 2; i++) u[i] = new BigInteger(1, Arrays.copyOfRange(uniform, i * L, (i + 1) * L)).mod(P);
    return u;
  }

  /** expand_message_xmd of RFC 9380 §5.3.1 with SHA-256 (b_in_bytes = 32, s_in_bytes = 64). */
  public byte[] expandMessageXmd(byte[] msg, int lenInBytes) {
    int ell = (lenInBytes + 31) / 32;
    if (ell > 255 || lenInBytes > 65535 || lenInBytes < 1) {
      throw new MalformedInputException("expand_message_xmd cannot produce " + lenInBytes + " bytes with SHA-256 (at most 8160)");
    }
    MessageDigest sha = hash();
    sha.update(new byte[64]); // Z_pad
    sha.update(msg);
    sha.update(new byte[] {(byte) (lenInBytes >>> 8), (byte) lenInBytes, 0});
    sha.update(dstPrime);
    byte[] b0 = sha.digest();
    byte[] out = new byte[ell * 32];
    byte[] previous = new byte[32];
    for (int i = 1; i <= ell; i++) {
      byte[] chained = new byte[32];
      for (int j = 0; j < 32; j++) chained[j] = (byte) (b0[j] ^ previous[j]); // b_1 uses b0 xor 0 = b0
      sha.update(chained);
      sha.update((byte) i);
      sha.update(dstPrime);
      previous = sha.digest();
      System.arraycopy(previous, 0, out, (i - 1) * 32, 32);
    }
    return Arrays.copyOf(out, lenInBytes);
  }

  /** map_to_curve_simple_swu of RFC 9380 §6.6.2, with P-256's A = -3, B and Z = -10. */
  public static ECPoint mapToCurve(BigInteger uValue) {
    ECFieldElement u = CURVE.fromBigInteger(uValue);
    ECFieldElement u2 = u.square();
    ECFieldElement zu2 = Z.multiply(u2);
    ECFieldElement denominator = zu2.square().add(zu2); // Z^2·u^4 + Z·u^2
    ECFieldElement x1;
    if (denominator.isZero()) {
      x1 = X_EXCEPTIONAL; // inv0(0) = 0, so 1 + tv1 = 1: the exceptional case of step 3
    } else {
      x1 = MINUS_B_OVER_A.multiply(ONE.add(denominator.invert()));
    }
    ECFieldElement gx1 = curveRhs(x1);
    ECFieldElement x;
    ECFieldElement y = gx1.sqrt();
    if (y != null) {
      x = x1;
    } else {
      x = zu2.multiply(x1);
      y = curveRhs(x).sqrt(); // RFC 9380 §6.6.2: exactly one of gx1 and gx2 is square
    }
    if (sgn0(u) != sgn0(y)) y = y.negate();
    return CURVE.createPoint(x.toBigInteger(), y.toBigInteger());
  }

  private static ECFieldElement curveRhs(ECFieldElement x) {
    return x.square().add(A).multiply(x).add(B);
  }

  /** sgn0 of RFC 9380 §4.1 for m = 1: the parity of the canonical representative. */
  private static int sgn0(ECFieldElement e) {
    return e.testBitZero() ? 1 : 0;
  }

  /** The suite's hash (SHA-256, fixed by RFC 9380 and by the PSI wire format: {@link FixedAlgorithms#psiHash}). */
  static MessageDigest hash() {
    return FixedAlgorithms.psiHash();
  }
}
