package io.covenant.mpc.psi;

import io.covenant.core.crypto.FixedAlgorithms;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * The matrix step of OT extension, Ishai, Kilian, Nissim and Petrank, "Extending Oblivious Transfers Efficiently",
 * CRYPTO 2003, §3, in the generalised form of Kolesnikov, Kumaresan, Rosulek and Trieu, "Efficient Batched Oblivious PRF
 * with Applications to Private Set Intersection", ACM CCS 2016, §3 (Fig. 2), where each row carries a codeword of width
 * κ instead of a repeated choice bit.
 *
 * <p>κ base OTs run the other way first: the extension receiver holds both keys (k_i^0, k_i^1) of column i, the
 * extension sender holds s ∈ {0,1}^κ and k_i^{s_i}. For a batch of rows with codewords c_j (rows of the code matrix C),
 * the receiver sets column t_i = G(k_i^0) and sends u_i = t_i ⊕ G(k_i^1) ⊕ C^i; the sender sets
 * q_i = G(k_i^{s_i}) ⊕ s_i·u_i = t_i ⊕ s_i·C^i, so that row by row q_j = t_j ⊕ (c_j ∧ s). G is AES-128 in counter mode
 * keyed with the base-OT key and continued from batch to batch. The receiver's u_i is masked by G(k_i^{1-s_i}), which the
 * sender does not know: it learns nothing of the codewords (the receiver's choices).
 *
 * <p>Cost per row: κ bits from the receiver (16 bytes for IKNP's κ = 128, 64 bytes for KKRT's κ = 512); AES keystream
 * of 2κ bits (receiver) and κ bits (sender); one bit-matrix transposition on each side.
 */
final class OtExtension {
  /** Runs body over [0, n) on the party's threads. */
  interface Workers {
    void parallel(int n, PsiRun.RangeBody body);
  }

  private OtExtension() {}

  static Cipher prg(byte[] key) {
    try {
      Cipher c = FixedAlgorithms.aesCtr();
      c.init(Cipher.ENCRYPT_MODE, FixedAlgorithms.aesKey(key), new IvParameterSpec(new byte[16]));
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides AES/CTR", e);
    }
  }

  /** Next {@code words} words of keystream of {@code prg} into {@code out}. */
  static void keystream(Cipher prg, byte[] scratch, long[] out, int words) {
    try {
      java.util.Arrays.fill(scratch, 0, words * 8, (byte) 0);
      prg.update(scratch, 0, words * 8, scratch, 0);
    } catch (javax.crypto.ShortBufferException e) {
      throw new IllegalStateException(e);
    }
    ByteBuffer.wrap(scratch, 0, words * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out, 0, words);
  }

  /** The side that holds both base-OT keys of each column and the codewords. */
  static final class Receiver {
    private final int width;
    private final Cipher[] g0;
    private final Cipher[] g1;

    Receiver(byte[][][] baseKeys) {
      width = baseKeys.length;
      if (width % 64 != 0) throw new IllegalStateException("OT extension width must be a multiple of 64");
      g0 = new Cipher[width];
      g1 = new Cipher[width];
      for (int i = 0; i < width; i++) {
        g0[i] = prg(baseKeys[i][0]);
        g1[i] = prg(baseKeys[i][1]);
      }
    }

    /**
     * One batch of {@code rows} rows (a multiple of 64) with codewords {@code codeRows} (rows·width/64 words): returns
     * the frame u to send (column by column, rows/8 bytes each, little-endian words) and writes the rows t_j to
     * {@code tRows}.
     */
    byte[] extend(long[] codeRows, int rows, long[] tRows, Workers workers) {
      int words = rows / 64;
      long[][] t = new long[width][words];
      long[][] code = new long[width][words];
      workers.parallel(words, (a, b) -> BitMatrix.rowsToColumns(codeRows, a, b, code));
      byte[] frame = new byte[width * words * 8];
      workers.parallel(width, (a, b) -> {
        byte[] scratch = new byte[words * 8];
        long[] other = new long[words];
        ByteBuffer out = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = a; i < b; i++) {
          keystream(g0[i], scratch, t[i], words);
          keystream(g1[i], scratch, other, words);
          for (int w = 0; w < words; w++) out.putLong((i * words + w) * 8, t[i][w] ^ other[w] ^ code[i][w]);
        }
      });
      workers.parallel(words, (a, b) -> BitMatrix.columnsToRows(t, a, b, tRows));
      return frame;
    }
  }

  /** The side that holds s and one base-OT key per column. */
  static final class Sender {
    private final int width;
    private final boolean[] s;
    private final Cipher[] g;

    Sender(boolean[] s, byte[][] chosenKeys) {
      this.width = s.length;
      this.s = s.clone();
      g = new Cipher[width];
      for (int i = 0; i < width; i++) g[i] = prg(chosenKeys[i]);
    }

    /** s as row words (bit i of word i/64), for q_j ⊕ (c ∧ s). */
    long[] sWords() {
      long[] out = new long[width / 64];
      for (int i = 0; i < width; i++) if (s[i]) out[i / 64] |= 1L << (i % 64);
      return out;
    }

    /** One batch: from the receiver's frame u (exactly width·rows/8 bytes), writes rows q_j to {@code qRows}. */
    void extend(byte[] frame, int rows, long[] qRows, Workers workers) {
      int words = rows / 64;
      long[][] q = new long[width][words];
      workers.parallel(width, (a, b) -> {
        byte[] scratch = new byte[words * 8];
        ByteBuffer in = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = a; i < b; i++) {
          keystream(g[i], scratch, q[i], words);
          if (s[i]) for (int w = 0; w < words; w++) q[i][w] ^= in.getLong((i * words + w) * 8);
        }
      });
      workers.parallel(words, (a, b) -> BitMatrix.columnsToRows(q, a, b, qRows));
    }
  }
}
