package io.covenant.mpc.psi;

import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.PeerLinkException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Base oblivious transfers by Chou and Orlandi, "The Simplest Protocol for Oblivious Transfer", LATINCRYPT 2015
 * (Fig. 1), over NIST P-256, batched: {@code count} random 1-out-of-2 OTs of 128-bit keys in two flows.
 *
 * <ol>
 *   <li>Sender: a ← Z_q, A = aG; sends A.</li>
 *   <li>Receiver with choice c_i: b_i ← Z_q, B_i = b_iG if c_i = 0, else A + b_iG; sends every B_i.</li>
 *   <li>Keys: the sender's k_i^0 = H(i, A, B_i, aB_i) and k_i^1 = H(i, A, B_i, a(B_i − A)); the receiver's
 *       k_i^{c_i} = H(i, A, B_i, b_iA). H is SHA-256 truncated to 128 bits.</li>
 * </ol>
 * B_i is uniform whatever c_i is, so the sender learns nothing of the choices; the receiver cannot compute
 * a(B_i − A) for the other key without solving CDH. Hashing A, B_i and i into each key binds it to this transfer
 * (the fix of the original paper's proof discussed by Genç, Iovino and Rial, ePrint 2017/1011, for the semi-honest use here).
 *
 * <p>Cost: 2 flows; 33 bytes from the sender, 33·count from the receiver; the sender does 1 + 2·count scalar
 * multiplications, the receiver 2·count.
 */
final class SimplestOt {
  static final int KEY_BYTES = 16;
  private static final int POINT = 33;
  private static final ECPoint G = HashToCurveP256.PARAMS.getG();

  private SimplestOt() {}

  /** The sender's side: returns keys[i][0] and keys[i][1] for each of {@code count} transfers. */
  static byte[][][] send(PeerLink link, int count, SecureRandom random) {
    BigInteger a = scalar(random);
    ECPoint bigA = new FixedPointCombMultiplier().multiply(G, a).normalize();
    byte[] encA = bigA.getEncoded(true);
    link.send(encA);
    byte[] frame = link.receive();
    if (frame.length != count * POINT) {
      throw malformed(link, frame.length + " bytes where " + count + " base-OT points (" + count * POINT + " bytes) were expected");
    }
    byte[][][] keys = new byte[count][2][];
    ECPoint negA = bigA.negate();
    for (int i = 0; i < count; i++) {
      byte[] encB = Arrays.copyOfRange(frame, i * POINT, (i + 1) * POINT);
      ECPoint bigB = decode(link, encB);
      keys[i][0] = key(i, encA, encB, bigB.multiply(a));
      keys[i][1] = key(i, encA, encB, bigB.add(negA).multiply(a));
    }
    return keys;
  }

  /** The receiver's side: returns the key it chose in each transfer. */
  static byte[][] receive(PeerLink link, boolean[] choices, SecureRandom random) {
    byte[] encA = link.receive();
    if (encA.length != POINT) throw malformed(link, encA.length + " bytes where one base-OT point was expected");
    ECPoint bigA = decode(link, encA);
    FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
    BigInteger[] b = new BigInteger[choices.length];
    ByteBuffer out = ByteBuffer.allocate(choices.length * POINT);
    byte[][] encB = new byte[choices.length][];
    for (int i = 0; i < choices.length; i++) {
      b[i] = scalar(random);
      ECPoint bG = comb.multiply(G, b[i]);
      encB[i] = (choices[i] ? bigA.add(bG) : bG).normalize().getEncoded(true);
      out.put(encB[i]);
    }
    link.send(out.array());
    byte[][] keys = new byte[choices.length][];
    for (int i = 0; i < choices.length; i++) keys[i] = key(i, encA, encB[i], bigA.multiply(b[i]));
    return keys;
  }

  private static byte[] key(int i, byte[] encA, byte[] encB, ECPoint shared) {
    MessageDigest sha = HashToCurveP256.hash();
    sha.update(ByteBuffer.allocate(4).putInt(i).array());
    sha.update(encA);
    sha.update(encB);
    return Arrays.copyOf(sha.digest(shared.normalize().getEncoded(true)), KEY_BYTES);
  }

  private static ECPoint decode(PeerLink link, byte[] enc) {
    try {
      ECPoint p = HashToCurveP256.CURVE.decodePoint(enc);
      if (p.isInfinity()) throw malformed(link, "the point at infinity in a base OT");
      return p;
    } catch (IllegalArgumentException e) {
      throw malformed(link, "a base-OT element that is not a P-256 point");
    }
  }

  private static PeerLinkException malformed(PeerLink link, String what) {
    return new PeerLinkException(link.peer(), PeerLinkException.Reason.MALFORMED, link.peer() + " sent " + what
        + " in the base oblivious transfers: it runs another version or is broken; the run stopped");
  }

  private static BigInteger scalar(SecureRandom random) {
    BigInteger k;
    do {
      k = new BigInteger(HashToCurveP256.ORDER.bitLength(), random);
    } while (k.signum() == 0 || k.compareTo(HashToCurveP256.ORDER) >= 0);
    return k;
  }
}
