package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * A curious receiver (it follows the protocol, then studies everything it holds: its own secrets and every frame it
 * received) guesses that the sender holds an id g it does not hold itself, and runs the checks it can compute. Each
 * check fails. As a control, the same check run with the sender's secret (which the receiver never gets) succeeds: the
 * answer is in the transcript, locked behind that secret. Then the values the receiver got for the sender's ids (2000 of
 * its 2020 are outside the intersection) pass bit-frequency and byte chi-square tests for uniform randomness.
 */
class CuriousReceiverCannotConfirmAGuessedId {
  static final List<String> X = IntStream.range(0, 300).mapToObj(i -> "x" + i).toList();
  static final List<String> Y;
  // X and Y share x0..x19; the guess below is one of the sender's other ids.
  static final String GUESS = "y7"; // in Y, not in X

  static {
    List<String> y = new ArrayList<>(X.subList(0, 20));
    for (int i = 0; i < 2000; i++) y.add("y" + i);
    Y = List.copyOf(y);
  }

  record Views(Map<String, List<Object>> receiver, Map<String, List<Object>> sender, List<byte[]> receiverTranscript) {}

  static Views run(PsiProtocol protocol) {
    PsiJob job = new PsiJob("job-curious", protocol, IdRule.CASE_SENSITIVE, Delivery.RECEIVER_ONLY, 2);
    Map<String, List<Object>> rv = new HashMap<>();
    Map<String, List<Object>> sv = new HashMap<>();
    List<byte[]> transcript = new ArrayList<>();
    TwoParties.run(java.time.Duration.ofSeconds(60), l -> {
      RecordingLink rec = new RecordingLink(l);
      PsiParty.Alignment a = PsiParty.align(job, PsiRole.RECEIVER, PreparedIds.of(IdSource.of(X), job), rec,
          (w, v) -> rv.computeIfAbsent(w, k -> new ArrayList<>()).add(v));
      transcript.addAll(rec.received);
      assertArrayEquals(IntStream.range(0, 20).toArray(), a.rows());
      return a;
    }, l -> PsiParty.align(job, PsiRole.SENDER, PreparedIds.of(IdSource.of(Y), job), l,
        (w, v) -> sv.computeIfAbsent(w, k -> new ArrayList<>()).add(v)));
    return new Views(rv, sv, transcript);
  }

  static byte[] digest(PsiJob job, String id) {
    return PreparedIds.of(IdSource.of(List.of(id)), job).digestBytes(0);
  }

  // ---------------------------------------------------------------- ECDH

  @Test
  void ecdhReceiverCannotConfirmAGuessFromItsTranscript() {
    Views v = run(PsiProtocol.ECDH_P256);
    PsiJob job = new PsiJob("job-curious", PsiProtocol.ECDH_P256, IdRule.CASE_SENSITIVE, Delivery.RECEIVER_ONLY, 2);
    BigInteger r = (BigInteger) v.receiver().get("ecdh.scalar").get(0);
    BigInteger s = (BigInteger) v.sender().get("ecdh.scalar").get(0);
    // Frame 0 is the hello; then the sender's blinded points; then the tags of the receiver's own points.
    Set<String> senderPoints = new HashSet<>();
    Set<String> tags = new HashSet<>();
    int pointsLeft = Y.size();
    for (byte[] f : v.receiverTranscript().subList(1, v.receiverTranscript().size())) {
      if (pointsLeft > 0) {
        for (int i = 0; i < f.length; i += 33) senderPoints.add(Hex.toHexString(Arrays.copyOfRange(f, i, i + 33)));
        pointsLeft -= f.length / 33;
      } else {
        for (int i = 0; i < f.length; i += 12) tags.add(Hex.toHexString(Arrays.copyOfRange(f, i, i + 12)));
      }
    }
    ECPoint hg = new HashToCurveP256(job.hashToCurveTag()).hash(digest(job, GUESS));
    MessageDigest sha = HashToCurveP256.hash();
    // The checks the receiver can compute.
    assertFalse(senderPoints.contains(Hex.toHexString(hg.getEncoded(true))), "H(g) itself was sent");
    assertFalse(senderPoints.contains(Hex.toHexString(hg.multiply(r).normalize().getEncoded(true))), "H(g)^r was sent");
    assertFalse(tags.contains(Hex.toHexString(Arrays.copyOf(EcdhPsi.tag(sha, hg.multiply(r).normalize()), 12))), "τ(H(g)^r) was sent");
    assertFalse(tags.contains(Hex.toHexString(Arrays.copyOf(EcdhPsi.tag(sha, hg), 12))), "τ(H(g)) was sent");
    // Control: with the sender's s, which the receiver does not have, the guess is confirmed.
    assertTrue(senderPoints.contains(Hex.toHexString(hg.multiply(s).normalize().getEncoded(true))));
    // The sender's blinded points of ids outside the intersection look uniformly random.
    List<byte[]> xCoordinates = new ArrayList<>();
    for (String p : senderPoints) xCoordinates.add(Arrays.copyOfRange(Hex.decode(p), 1, 33));
    assertLooksUniform(xCoordinates);
  }

  // ---------------------------------------------------------------- KKRT16

  @Test
  void kkrtReceiverCannotConfirmAGuessFromItsTranscript() {
    Views v = run(PsiProtocol.KKRT16);
    PsiJob job = new PsiJob("job-curious", PsiProtocol.KKRT16, IdRule.CASE_SENSITIVE, Delivery.RECEIVER_ONLY, 2);
    long[] seed = (long[]) v.receiver().get("kkrt.cuckooSeed").get(0);
    byte[] codeKey = (byte[]) v.receiver().get("kkrt.codeKey").get(0);
    long[] s = (long[]) v.sender().get("kkrt.s").get(0);
    int bins = CuckooTable.binsFor(X.size());
    long[] t = rows(v.receiver().get("kkrt.t"), bins);
    long[] code = rows(v.receiver().get("kkrt.code"), bins);
    // The last frames are the sender's OPRF values, 3 per element of Y, 10 bytes each.
    Set<String> values = new HashSet<>();
    List<byte[]> outsideIntersection = new ArrayList<>();
    List<byte[]> transcript = v.receiverTranscript();
    int needed = 3 * Y.size() * KkrtPsi.TAG_BYTES;
    for (int k = transcript.size() - 1; k >= 0 && needed > 0; k--) {
      byte[] f = transcript.get(k);
      for (int i = 0; i < f.length; i += 10) {
        values.add(Hex.toHexString(Arrays.copyOfRange(f, i, i + 10)));
        outsideIntersection.add(Arrays.copyOfRange(f, i, i + 10));
      }
      needed -= f.length;
    }
    ByteBuffer g = ByteBuffer.wrap(digest(job, GUESS));
    long hi = g.getLong();
    long lo = g.getLong();
    KkrtPsi.PseudorandomCode prc = new KkrtPsi.PseudorandomCode(codeKey);
    MessageDigest sha = HashToCurveP256.hash();
    boolean controlConfirmed = false;
    for (int h = 0; h < CuckooTable.HASHES; h++) {
      int j = CuckooTable.bin(seed, h, hi, lo, bins);
      long[] cg = new long[8];
      prc.encode(hi, lo, h, cg, 0);
      long[] own = Arrays.copyOfRange(t, j * 8, j * 8 + 8);
      long[] withCode = new long[8];
      long[] sAllOnes = new long[8];
      long[] withS = new long[8];
      for (int w = 0; w < 8; w++) {
        withCode[w] = own[w] ^ cg[w];
        sAllOnes[w] = own[w] ^ cg[w] ^ code[j * 8 + w];
        withS[w] = own[w] ^ ((cg[w] ^ code[j * 8 + w]) & s[w]);
      }
      // The checks the receiver can compute: the bin's row shifted by the guess's code, with and without its own
      // element's code. Its own output for the bin is no check of the guess: it matches exactly when the bin holds one of
      // the 20 shared ids (about one run in eight for one of the guess's three bins), which the intersection tells it.
      assertFalse(values.contains(tag(sha, j, withCode)), "t_j xor C(g) matched");
      assertFalse(values.contains(tag(sha, j, sAllOnes)), "t_j xor C(g) xor C(x_j) matched");
      controlConfirmed |= values.contains(tag(sha, j, withS));
    }
    assertTrue(controlConfirmed, "with the sender's s the guess should be confirmed: the check itself is right");
    assertLooksUniform(outsideIntersection);
  }

  static long[] rows(List<Object> batches, int bins) {
    long[] all = new long[bins * 8];
    for (Object o : batches) {
      PartyView.BatchRows b = (PartyView.BatchRows) o;
      System.arraycopy(b.rows(), 0, all, b.start() * 8, b.rows().length);
    }
    return all;
  }

  static String tag(MessageDigest sha, int bin, long[] row) {
    long[] out = new long[2];
    KkrtPsi.oprf(sha, bin, row, 0, out, 0);
    ByteBuffer b = ByteBuffer.allocate(10).putLong(out[0]).putShort((short) out[1]);
    return Hex.toHexString(b.array());
  }

  /** Bit frequency within 6 standard deviations of 1/2, and a byte chi-square within 6 standard deviations of 255. */
  static void assertLooksUniform(List<byte[]> values) {
    long ones = 0;
    long bits = 0;
    long[] counts = new long[256];
    long bytes = 0;
    for (byte[] v : values) {
      for (byte b : v) {
        ones += Integer.bitCount(b & 0xff);
        bits += 8;
        counts[b & 0xff]++;
        bytes++;
      }
    }
    double z = (ones - bits / 2.0) / Math.sqrt(bits / 4.0);
    assertTrue(Math.abs(z) < 6, "bit frequency z = " + z);
    double expected = bytes / 256.0;
    double chi2 = 0;
    for (long c : counts) chi2 += (c - expected) * (c - expected) / expected;
    assertTrue(Math.abs(chi2 - 255) < 6 * Math.sqrt(2 * 255), "byte chi-square " + chi2 + " for 255 degrees of freedom");
  }
}
