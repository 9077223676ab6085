package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * Receiver-choice privacy of the extension: the sender knows s and k_i^{s_i}, so the best it can strip from column i of
 * the receiver's message is G(k_i^{s_i}), leaving u_i ⊕ G(k_i^{s_i}) = G(k_i^{1-s_i}) ⊕ C^i (the codeword column under
 * a key it never got). If the receiver's choices showed through, that residue would equal the choice column (all ones
 * for IKNP with every choice 1); the test measures it agreeing with the choices on about half the bits, as for random
 * bits, for all-zero, all-one and alternating choices alike.
 */
class OtExtensionHidesTheReceiversChoices {

  static double agreement(boolean allOnes, boolean alternating) {
    int width = 128;
    int rows = 8192;
    var base = OtExtensionDeliversTheChosenMessages.baseOts(width, 9);
    OtExtension.Receiver receiver = new OtExtension.Receiver(base.senderKeys());
    long[] code = new long[rows * 2];
    for (int j = 0; j < rows; j++) {
      boolean choice = alternating ? j % 2 == 1 : allOnes;
      if (choice) code[2 * j] = code[2 * j + 1] = -1L;
    }
    byte[] u = receiver.extend(code, rows, new long[rows * 2], OtExtensionDeliversTheChosenMessages.SEQUENTIAL);
    // The sender's view: s = base choices, its keys, and u.
    int words = rows / 64;
    long agree = 0;
    long total = 0;
    ByteBuffer in = ByteBuffer.wrap(u).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < width; i++) {
      Cipher g = OtExtension.prg(base.receiverKeys()[i]);
      long[] own = new long[words];
      OtExtension.keystream(g, new byte[words * 8], own, words);
      for (int w = 0; w < words; w++) {
        long residue = in.getLong((i * words + w) * 8) ^ own[w];
        long choices = alternating ? 0xAAAAAAAAAAAAAAAAL : allOnes ? -1L : 0L;
        agree += Long.bitCount(~(residue ^ choices));
        total += 64;
      }
    }
    return (double) agree / total;
  }

  @Test
  void theSendersViewAgreesWithTheChoicesOnlyByChance() {
    // 1,048,576 bits: a fair coin stays within 0.5 ± 0.003 (6 standard deviations).
    for (boolean[] c : new boolean[][] {{false, false}, {true, false}, {false, true}}) {
      double a = agreement(c[0], c[1]);
      assertTrue(Math.abs(a - 0.5) < 0.003, "agreement " + a + " for choices " + (c[1] ? "alternating" : c[0] ? "all one" : "all zero"));
    }
  }
}
