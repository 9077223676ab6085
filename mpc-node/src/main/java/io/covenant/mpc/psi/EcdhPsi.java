package io.covenant.mpc.psi;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Diffie–Hellman PSI: Meadows, "A more efficient cryptographic matchmaking protocol for use in the absence of a
 * continuously available third party", IEEE S&amp;P 1986, and Huberman, Franklin and Hogg, "Enhancing privacy and trust in
 * electronic communities", ACM EC 1999; the form used by SecretFlow's ECDH-PSI and OpenMined's PSI, over NIST P-256 with
 * hashing to the curve as RFC 9380 specifies ({@link HashToCurveP256}, DST naming the job).
 *
 * <p>Receiver R holds X and a secret scalar r, sender S holds Y and s. With H the hash to the curve:
 * <ol>
 *   <li>R → S: H(x)^r for every x ∈ X, in R's order (33-byte compressed points, batches of {@value #BATCH}).</li>
 *   <li>S → R: H(y)^s for every y ∈ Y, in a random order; then, for each of R's points in R's order,
 *       τ(H(x)^{rs}) where τ is the first {@value #TAG_BYTES} bytes of SHA-256 of the compressed point.</li>
 *   <li>R computes τ(H(y)^{sr}) for S's points and matches them against the tags of its own points: x ∈ Y iff
 *       τ(H(x)^{rs}) is among them.</li>
 * </ol>
 * Under the decisional Diffie–Hellman assumption in P-256 (H a random oracle), S sees only random-looking points, and R
 * learns of Y only which of its own elements are in it and |Y| (semi-honest security, Huberman et al. §4).
 *
 * <p>Cost: 2 flows after the handshake (R→S, S→R), both streamed. Bytes: 33 per element of X from R; 33 per element
 * of Y plus {@value #TAG_BYTES} per element of X from S. Work: one hash-to-curve and two scalar multiplications per
 * element on each side's own set and the other's (per party: |own| hashes, |X|+|Y| multiplications).
 * The tag length keeps false matches below |X|·|Y|·2^-96.
 */
final class EcdhPsi implements MatchingProtocol {
  static final int BATCH = 8192;
  static final int POINT_BYTES = 33;
  static final int TAG_BYTES = 12;

  @Override
  public int[] runAsReceiver(PsiRun run) {
    HashToCurveP256 h2c = new HashToCurveP256(run.job.hashToCurveTag());
    BigInteger r = randomScalar(run);
    run.view.record("ecdh.scalar", r);
    sendBlinded(run, h2c, r, null);

    // S's blinded set, raised to r, tagged and indexed by S's sending position.
    DigestIndex senderTags = new DigestIndex(run.peerDistinct);
    int received = 0;
    while (received < run.peerDistinct) {
      byte[] frame = run.receiveElements(POINT_BYTES, run.peerDistinct - received, "blinded points");
      long[] tags = raiseAndTag(run, frame, r);
      for (int i = 0; i < tags.length / 2; i++) {
        if (senderTags.putIfAbsent(tags[2 * i], tags[2 * i + 1], received + i) >= 0) throw run.malformed("the same blinded point twice");
      }
      received += tags.length / 2;
    }

    // S's tags of our own points, in our order.
    int n = run.ids.distinct;
    int[] match = new int[n];
    int k = 0;
    while (k < n) {
      ByteBuffer frame = ByteBuffer.wrap(run.receiveElements(TAG_BYTES, n - k, "tags of blinded points"));
      while (frame.hasRemaining()) {
        long hi = frame.getLong();
        long lo = frame.getInt() & 0xffffffffL;
        match[k++] = senderTags.get(hi, lo);
      }
    }
    return match;
  }

  @Override
  public int[] runAsSender(PsiRun run) {
    HashToCurveP256 h2c = new HashToCurveP256(run.job.hashToCurveTag());
    BigInteger s = randomScalar(run);
    run.view.record("ecdh.scalar", s);
    int[] order = run.randomPermutation(run.ids.distinct);
    sendBlinded(run, h2c, s, order);
    int answered = 0;
    while (answered < run.peerDistinct) {
      byte[] frame = run.receiveElements(POINT_BYTES, run.peerDistinct - answered, "blinded points");
      long[] tags = raiseAndTag(run, frame, s);
      ByteBuffer out = ByteBuffer.allocate(tags.length / 2 * TAG_BYTES);
      for (int i = 0; i < tags.length / 2; i++) out.putLong(tags[2 * i]).putInt((int) tags[2 * i + 1]);
      run.link.send(out.array());
      answered += tags.length / 2;
    }
    return order;
  }

  /** H(id)^k for every own distinct id, in {@code order} (or id order), as compressed points in batches. */
  private static void sendBlinded(PsiRun run, HashToCurveP256 h2c, BigInteger k, int[] order) {
    int n = run.ids.distinct;
    for (int from = 0; from < n; from += BATCH) {
      int count = Math.min(BATCH, n - from);
      byte[] frame = new byte[count * POINT_BYTES];
      int base = from;
      run.parallel(count, (a, b) -> {
        for (int i = a; i < b; i++) {
          int id = order == null ? base + i : order[base + i];
          byte[] p = h2c.hash(run.ids.digestBytes(id)).multiply(k).getEncoded(true);
          System.arraycopy(p, 0, frame, i * POINT_BYTES, POINT_BYTES);
        }
      });
      run.link.send(frame);
    }
  }

  /** τ(P^k) for every point P in {@code frame}: the tag's first 8 bytes and next 4 as two longs per point. */
  private static long[] raiseAndTag(PsiRun run, byte[] frame, BigInteger k) {
    int count = frame.length / POINT_BYTES;
    long[] tags = new long[2 * count];
    run.parallel(count, (a, b) -> {
      MessageDigest sha = HashToCurveP256.hash();
      byte[] enc = new byte[POINT_BYTES];
      for (int i = a; i < b; i++) {
        System.arraycopy(frame, i * POINT_BYTES, enc, 0, POINT_BYTES);
        ECPoint p = decode(run, enc);
        ByteBuffer t = ByteBuffer.wrap(tag(sha, p.multiply(k)));
        tags[2 * i] = t.getLong();
        tags[2 * i + 1] = t.getInt() & 0xffffffffL;
      }
    });
    return tags;
  }

  static byte[] tag(MessageDigest sha, ECPoint p) {
    sha.update((byte) 'T');
    return sha.digest(p.getEncoded(true));
  }

  /** A compressed point of P-256 other than the identity, or the peer is named as having sent garbage. */
  static ECPoint decode(PsiRun run, byte[] enc) {
    if (enc[0] != 2 && enc[0] != 3) throw run.malformed("a blinded element that is not a compressed P-256 point");
    try {
      ECPoint p = HashToCurveP256.CURVE.decodePoint(enc);
      if (p.isInfinity()) throw run.malformed("the point at infinity as a blinded element");
      return p;
    } catch (IllegalArgumentException e) {
      throw run.malformed("a blinded element that is not on P-256");
    }
  }

  static BigInteger randomScalar(PsiRun run) {
    BigInteger k;
    do {
      k = new BigInteger(HashToCurveP256.ORDER.bitLength(), run.random);
    } while (k.signum() == 0 || k.compareTo(HashToCurveP256.ORDER) >= 0);
    return k;
  }
}
