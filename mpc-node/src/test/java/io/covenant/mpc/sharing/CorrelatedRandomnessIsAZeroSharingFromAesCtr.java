package io.covenant.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.mpc.transport.Party;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class CorrelatedRandomnessIsAZeroSharingFromAesCtr {

  @Test
  void keystreamIsAesOfStepAndBlockCounter() throws Exception {
    // Known answer: word pair j of F(k, step) must equal AES-256_k(step || j), computed here independently in ECB mode.
    byte[] key = HexFormat.of().parseHex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4"); // SP 800-38A F.5.5
    long step = 0x0102030405060708L;
    int n = 9; // an odd count ends mid-block
    long[] words = CorrelatedRandomness.keystream(new SecretKeySpec(key, "AES"), step, n);
    Cipher ecb = Cipher.getInstance("AES/ECB/NoPadding");
    ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
    ByteBuffer counters = ByteBuffer.allocate(16 * 5);
    for (long j = 0; j < 5; j++) counters.putLong(step).putLong(j);
    long[] expected = new long[10];
    ByteBuffer.wrap(ecb.doFinal(counters.array())).asLongBuffer().get(expected);
    assertArrayEquals(Arrays.copyOf(expected, n), words);
  }

  @Test
  void zeroSharesSumToZeroAndNeighboursDrawTheSameWords() {
    var outcome = InProcessParties.run((ch, rnd) -> {
      CorrelatedRandomness.Step s1 = rnd.nextStep();
      long[] zero = s1.zeroShare(1000);
      CorrelatedRandomness.Step s2 = rnd.nextStep();
      return List.of(zero, s2.sharedWithPrevious(1000), s2.sharedWithNext(1000));
    });
    long[] z0 = outcome.of(Party.P0).get(0);
    long[] z1 = outcome.of(Party.P1).get(0);
    long[] z2 = outcome.of(Party.P2).get(0);
    for (int j = 0; j < 1000; j++) assertEquals(0L, z0[j] + z1[j] + z2[j]);
    assertFalse(Arrays.equals(z0, z1), "zero shares must be random, not all zero");
    for (Party p : Party.all()) {
      // What p shares with its next party is what that party shares with its previous one: both hold k_{p+1}.
      assertArrayEquals(outcome.of(p).get(2), outcome.of(p.next()).get(1));
      assertFalse(Arrays.equals(outcome.of(p).get(1), outcome.of(p).get(2)), "the two keys of a party must differ");
    }
  }

  @Test
  void everyStepDrawsFreshWordsAndEachKeyOncePerStep() {
    byte[] k1 = new byte[32];
    byte[] k2 = new byte[32];
    k2[0] = 1;
    CorrelatedRandomness r = CorrelatedRandomness.fromKeys(Party.P0, k1, k2);
    CorrelatedRandomness.Step a = r.nextStep();
    CorrelatedRandomness.Step b = r.nextStep();
    assertFalse(Arrays.equals(a.sharedWithPrevious(4), b.sharedWithPrevious(4)));
    assertThrows(IllegalStateException.class, () -> a.sharedWithPrevious(4));
    assertEquals("CorrelatedRandomness[party 0, keys redacted]", r.toString());
  }
}
