package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * OT correctness: the Chou–Orlandi base OTs give the receiver exactly the chosen key; the extension gives
 * q_j = t_j ⊕ (c_j ∧ s) row by row, so IKNP's random OT (κ = 128, c_j = r_j·1^κ) hands the receiver H(j, q_j ⊕ r_j·s)
 * and not the other message, and KKRT's 512-bit codewords satisfy the same relation.
 */
class OtExtensionDeliversTheChosenMessages {
  static final OtExtension.Workers SEQUENTIAL = (n, body) -> body.run(0, n);

  record Base(byte[][][] senderKeys, byte[][] receiverKeys, boolean[] choices) {}

  static Base baseOts(int count, long seed) {
    boolean[] choices = new boolean[count];
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) choices[i] = r.nextBoolean();
    var out = TwoParties.run(java.time.Duration.ofSeconds(60),
        l -> (Object) SimplestOt.send(l, count, new SecureRandom()),
        l -> (Object) SimplestOt.receive(l, choices, new SecureRandom()));
    return new Base((byte[][][]) out.receiver(), (byte[][]) out.sender(), choices);
  }

  @Test
  void baseOtReceiverGetsExactlyTheChosenKey() {
    Base b = baseOts(64, 1);
    for (int i = 0; i < 64; i++) {
      int c = b.choices()[i] ? 1 : 0;
      assertArrayEquals(b.senderKeys()[i][c], b.receiverKeys()[i], "OT " + i);
      assertFalse(Arrays.equals(b.senderKeys()[i][1 - c], b.receiverKeys()[i]), "OT " + i + " leaked the other key");
    }
  }

  /** Runs the extension for {@code rows} rows with the given codeword rows; returns {t rows, q rows, s words}. */
  static long[][] extend(int width, long[] codeRows, int rows, int batches) {
    Base b = baseOts(width, 2);
    // Extension receiver = base-OT sender (both keys); extension sender = base-OT receiver (choice bits s).
    OtExtension.Receiver receiver = new OtExtension.Receiver(b.senderKeys());
    OtExtension.Sender sender = new OtExtension.Sender(b.choices(), b.receiverKeys());
    int rowWords = width / 64;
    long[] t = new long[rows * rowWords];
    long[] q = new long[rows * rowWords];
    int per = rows / batches;
    for (int k = 0; k < batches; k++) {
      long[] code = Arrays.copyOfRange(codeRows, k * per * rowWords, (k + 1) * per * rowWords);
      long[] tb = new long[per * rowWords];
      long[] qb = new long[per * rowWords];
      byte[] u = receiver.extend(code, per, tb, SEQUENTIAL);
      sender.extend(u, per, qb, SEQUENTIAL);
      System.arraycopy(tb, 0, t, k * per * rowWords, tb.length);
      System.arraycopy(qb, 0, q, k * per * rowWords, qb.length);
    }
    return new long[][] {t, q, sender.sWords()};
  }

  static byte[] h(int j, long[] row, int off, int words) {
    MessageDigest sha = HashToCurveP256.hash();
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 + 8 * words).putInt(j);
    for (int w = 0; w < words; w++) b.putLong(row[off + w]);
    return sha.digest(b.array());
  }

  @Test
  void iknpRandomOtGivesTheReceiverTheMessageOfItsChoice() {
    int rows = 4096;
    boolean[] r = new boolean[rows];
    long[] code = new long[rows * 2];
    SplittableRandom rnd = new SplittableRandom(3);
    for (int j = 0; j < rows; j++) {
      r[j] = rnd.nextBoolean();
      if (r[j]) code[2 * j] = code[2 * j + 1] = -1L; // the repetition code of IKNP03
    }
    long[][] out = extend(128, code, rows, 2);
    long[] t = out[0];
    long[] q = out[1];
    long[] s = out[2];
    for (int j = 0; j < rows; j++) {
      long[] qs = {q[2 * j] ^ s[0], q[2 * j + 1] ^ s[1]};
      byte[] m0 = h(j, q, 2 * j, 2);
      byte[] m1 = h(j, qs, 0, 2);
      byte[] got = h(j, t, 2 * j, 2);
      assertArrayEquals(r[j] ? m1 : m0, got, "row " + j);
      assertFalse(Arrays.equals(r[j] ? m0 : m1, got), "row " + j + ": the receiver also holds the other message");
    }
  }

  @Test
  void kkrtRowsDifferByTheCodewordMaskedWithS() {
    int rows = 2048;
    long[] code = new SplittableRandom(4).longs(rows * 8L).toArray();
    long[][] out = extend(512, code, rows, 2);
    for (int j = 0; j < rows; j++) {
      for (int w = 0; w < 8; w++) assertEquals(code[8 * j + w] & out[2][w], out[0][8 * j + w] ^ out[1][8 * j + w], "row " + j + " word " + w);
    }
    assertNotEquals(0L, out[2][0] | out[2][1]); // s is not all zero (probability 2^-128)
  }

  @Test
  void bitMatrixTransposeIsItsOwnInverse() {
    long[] rows = new SplittableRandom(5).longs(256 * 8L).toArray();
    long[][] cols = new long[512][4];
    BitMatrix.rowsToColumns(rows, 0, 4, cols);
    for (int j = 0; j < 256; j++) {
      for (int c = 0; c < 512; c++) {
        assertEquals((rows[j * 8 + c / 64] >>> (c % 64)) & 1, (cols[c][j / 64] >>> (j % 64)) & 1);
      }
    }
    long[] back = new long[rows.length];
    BitMatrix.columnsToRows(cols, 0, 4, back);
    assertArrayEquals(rows, back);
  }
}
