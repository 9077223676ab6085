package io.covenant.mpc.psi;

import io.covenant.core.crypto.FixedAlgorithms;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * PSI from the batched oblivious PRF of Kolesnikov, Kumaresan, Rosulek and Trieu, "Efficient Batched Oblivious PRF with
 * Applications to Private Set Intersection", ACM CCS 2016 (KKRT16), §3 (BaRK-OPRF, Fig. 2) and §5 (PSI with cuckoo
 * hashing).
 *
 * <ol>
 *   <li>Base OTs: κ = {@value #WIDTH} Chou–Orlandi OTs ({@link SimplestOt}), the PSI receiver R as OT sender.</li>
 *   <li>R cuckoo-hashes X into m = 1.27·|X| bins ({@link CuckooTable}); bin j holds x placed by hash function h, or
 *       nothing. With the pseudorandom code C(x, h) = AES_K(x ‖ h ‖ 0..3) (512 bits; K derived from both nonces), the
 *       OT extension ({@link OtExtension}) gives S the rows q_j = t_j ⊕ (C(x_j, h_j) ∧ s) and R the rows t_j.
 *       The OPRF of bin j is F_j(y, h) = H(j ‖ q_j ⊕ (C(y, h) ∧ s)), and R's output for its own element is
 *       F_j(x_j, h_j) = H(j ‖ t_j). H is SHA-256 truncated to {@value #TAG_BYTES} bytes: KKRT16 §5 asks for λ + log2(|X|·|Y|) bits;
 *       80 bits keep a false match below |X|·3|Y|·2^-80, about 2^-38 for 2^20 × 2^20.</li>
 *   <li>S sends, for each y ∈ Y in a random order, F_{h(y)}(y, h) for its three hash functions h; R looks them up among
 *       its own outputs: x ∈ Y iff one of them equals H(j ‖ t_j) for x's bin.</li>
 * </ol>
 * For y ≠ x_j, F_j(y, h) = H(j ‖ t_j ⊕ ((C(x_j) ⊕ C(y)) ∧ s)) depends on bits of s that R never learns (two codewords of the
 * pseudorandom code differ in about κ/2 of their 512 bits, and a distance below κ/4 has negligible probability), so the values for non-intersecting ids look
 * random to R; S sees only the OT-extension matrix, masked by PRG outputs it cannot compute.
 *
 * <p>Rounds and bytes: 4 flows after the handshake (R: base-OT A; S: 512 base-OT points; R: the matrix; S: the OPRF
 * values). Bytes: 33 + 512·33 for the base OTs; 64·m ≈ 81·|X| from R; 3·{@value #TAG_BYTES} = 30·|Y| from S.
 */
final class KkrtPsi implements MatchingProtocol {
  static final int WIDTH = 512;
  static final int ROW_WORDS = WIDTH / 64;
  static final int TAG_BYTES = 10;
  /** Rows per OT-extension frame: 16384 rows × 64 bytes = 1 MiB. */
  static final int ROWS_PER_BATCH = 16384;
  /** Sender elements per frame of OPRF values. */
  static final int ELEMENTS_PER_BATCH = 16384;

  @Override
  public int[] runAsReceiver(PsiRun run) {
    long[] cuckooSeed = CuckooTable.seed(run.jointSeed("kkrt16/cuckoo"));
    byte[] codeKey = Arrays.copyOf(run.jointSeed("kkrt16/code"), 16);
    CuckooTable table = CuckooTable.build(run.ids, cuckooSeed, run.job.jobId());
    run.view.record("kkrt.cuckooSeed", cuckooSeed);
    run.view.record("kkrt.codeKey", codeKey);
    OtExtension.Receiver ext = new OtExtension.Receiver(SimplestOt.send(run.link, WIDTH, run.random));

    DigestIndex own = new DigestIndex(run.ids.distinct);
    for (int start = 0; start < table.bins; start += ROWS_PER_BATCH) {
      int rows = Math.min(ROWS_PER_BATCH, table.bins - start);
      long[] codeRows = new long[rows * ROW_WORDS];
      int base = start;
      run.parallel(rows, (a, b) -> {
        PseudorandomCode code = new PseudorandomCode(codeKey);
        for (int j = a; j < b; j++) {
          int x = table.item[base + j];
          // An empty bin keeps the all-zero codeword: its column bits are masked by G(k^1) like any other, and its
          // outputs are never used.
          if (x >= 0) code.encode(run.ids.digests[2 * x], run.ids.digests[2 * x + 1], table.function[base + j], codeRows, j * ROW_WORDS);
        }
      });
      long[] tRows = new long[rows * ROW_WORDS];
      run.link.send(ext.extend(codeRows, rows, tRows, run::parallel));
      run.view.record("kkrt.code", new PartyView.BatchRows(start, codeRows));
      run.view.record("kkrt.t", new PartyView.BatchRows(start, tRows));
      long[] tags = new long[2 * rows];
      run.parallel(rows, (a, b) -> {
        MessageDigest sha = HashToCurveP256.hash();
        for (int j = a; j < b; j++) if (table.item[base + j] >= 0) oprf(sha, base + j, tRows, j * ROW_WORDS, tags, j);
      });
      for (int j = 0; j < rows; j++) {
        if (table.item[base + j] >= 0) own.putIfAbsent(tags[2 * j], tags[2 * j + 1], base + j);
      }
    }

    int[] match = new int[run.ids.distinct];
    Arrays.fill(match, -1);
    long expected = 3L * run.peerDistinct;
    long received = 0;
    while (received < expected) {
      ByteBuffer frame = ByteBuffer.wrap(run.receiveElements(3 * TAG_BYTES, (expected - received) / 3, "OPRF value triples"));
      while (frame.hasRemaining()) {
        long hi = frame.getLong();
        long lo = frame.getShort() & 0xffffL;
        int bin = own.get(hi, lo);
        if (bin >= 0) match[table.item[bin]] = (int) (received / 3);
        received++;
      }
    }
    return match;
  }

  @Override
  public int[] runAsSender(PsiRun run) {
    long[] cuckooSeed = CuckooTable.seed(run.jointSeed("kkrt16/cuckoo"));
    byte[] codeKey = Arrays.copyOf(run.jointSeed("kkrt16/code"), 16);
    int bins = CuckooTable.binsFor(run.peerDistinct);
    boolean[] s = new boolean[WIDTH];
    for (int i = 0; i < WIDTH; i++) s[i] = run.random.nextBoolean();
    OtExtension.Sender ext = new OtExtension.Sender(s, SimplestOt.receive(run.link, s, run.random));
    long[] sWords = ext.sWords();
    run.view.record("kkrt.s", sWords);

    long[] q = new long[Math.multiplyExact(bins, ROW_WORDS)];
    for (int start = 0; start < bins; start += ROWS_PER_BATCH) {
      int rows = Math.min(ROWS_PER_BATCH, bins - start);
      byte[] frame = run.link.receive();
      if (frame.length != rows * WIDTH / 8) {
        throw run.malformed("an OT-extension frame of " + frame.length + " bytes where " + rows * WIDTH / 8 + " (" + rows
            + " rows for a set of " + run.peerDistinct + ") were expected");
      }
      long[] qRows = new long[rows * ROW_WORDS];
      ext.extend(frame, rows, qRows, run::parallel);
      System.arraycopy(qRows, 0, q, start * ROW_WORDS, qRows.length);
    }

    int[] order = run.randomPermutation(run.ids.distinct);
    for (int start = 0; start < order.length; start += ELEMENTS_PER_BATCH) {
      int count = Math.min(ELEMENTS_PER_BATCH, order.length - start);
      byte[] out = new byte[count * 3 * TAG_BYTES];
      int base = start;
      run.parallel(count, (a, b) -> {
        PseudorandomCode code = new PseudorandomCode(codeKey);
        MessageDigest sha = HashToCurveP256.hash();
        long[] row = new long[ROW_WORDS];
        long[] tag = new long[2];
        ByteBuffer o = ByteBuffer.wrap(out);
        for (int e = a; e < b; e++) {
          int y = order[base + e];
          long hi = run.ids.digests[2 * y];
          long lo = run.ids.digests[2 * y + 1];
          for (int h = 0; h < CuckooTable.HASHES; h++) {
            int bin = CuckooTable.bin(cuckooSeed, h, hi, lo, bins);
            code.encode(hi, lo, h, row, 0);
            for (int w = 0; w < ROW_WORDS; w++) row[w] = q[bin * ROW_WORDS + w] ^ (row[w] & sWords[w]);
            oprf(sha, bin, row, 0, tag, 0);
            int at = (e * 3 + h) * TAG_BYTES;
            o.putLong(at, tag[0]).putShort(at + 8, (short) tag[1]);
          }
        }
      });
      run.link.send(out);
    }
    return order;
  }

  /** H(j ‖ row) truncated to TAG_BYTES, as (first 8 bytes, next 2 bytes) in out[2k], out[2k+1]. */
  static void oprf(MessageDigest sha, int bin, long[] rows, int offset, long[] out, int k) {
    ByteBuffer in = ByteBuffer.allocate(4 + WIDTH / 8).order(ByteOrder.LITTLE_ENDIAN);
    in.putInt(bin);
    for (int w = 0; w < ROW_WORDS; w++) in.putLong(rows[offset + w]);
    ByteBuffer d = ByteBuffer.wrap(sha.digest(in.array()));
    out[2 * k] = d.getLong();
    out[2 * k + 1] = d.getShort() & 0xffffL;
  }

  /**
   * KKRT16's pseudorandom code (§4: a PRF with κ-bit outputs is a pseudorandom code), as AES-128 with the run's code key
   * over four counter blocks of the 128-bit id digest and the hash-function index. Not thread-safe; one per thread.
   */
  static final class PseudorandomCode {
    private final Cipher aes;
    private final byte[] in = new byte[64];
    private final byte[] out = new byte[64];

    PseudorandomCode(byte[] key) {
      try {
        aes = FixedAlgorithms.aesEcb();
        aes.init(Cipher.ENCRYPT_MODE, FixedAlgorithms.aesKey(key));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("every Java platform provides AES", e);
      }
    }

    /** Writes C(digest, h) as 8 words to {@code rows} at {@code offset}. */
    void encode(long hi, long lo, int h, long[] rows, int offset) {
      ByteBuffer b = ByteBuffer.wrap(in);
      for (int block = 0; block < 4; block++) b.putLong(block * 16, hi).putLong(block * 16 + 8, lo ^ ((long) (h * 4 + block + 1) << 56));
      try {
        aes.doFinal(in, 0, 64, out, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
      ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(rows, offset, ROW_WORDS);
    }
  }
}
