package io.covenant.mpc.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.ring.Ring64;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** With every hospital present, the aggregator's unmasked result is the exact sum mod 2^64 of the inputs. */
class MasksCancelExactly {

  @Test
  void theUnmaskedResultIsTheExactRingSumOfAllInputs() throws Exception {
    List<OrgId> roster = SecAggRun.hospitals(5);
    SplittableRandom r = new SplittableRandom(3);
    List<long[]> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) inputs.add(r.longs(1000).toArray()); // full-range words: wrap-around must cancel too
    SecureSum s = SecAggRun.run(roster, 3, inputs, (h, l) -> l, (h, l) -> l);
    long[] expected = new long[1000];
    for (long[] x : inputs) expected = Ring64.add(expected, x);
    assertArrayEquals(expected, s.sum());
    assertEquals(roster, s.contributors());
    assertTrue(s.dropped().isEmpty());
  }

  @Test
  void shamirSharesRecoverTheSecretFromAnyThresholdSubset() {
    byte[] secret = new byte[32];
    new java.security.SecureRandom().nextBytes(secret);
    var shares = ShamirSharing.share(secret, 3, List.of(1, 2, 3, 4, 5), SecAggRun.seeded(9));
    for (List<Integer> subset : List.of(List.of(1, 2, 3), List.of(2, 4, 5), List.of(1, 3, 5))) {
      var chosen = new java.util.LinkedHashMap<Integer, byte[]>();
      subset.forEach(x -> chosen.put(x, shares.get(x)));
      assertArrayEquals(secret, ShamirSharing.reconstruct(chosen, 32));
    }
    var two = new java.util.LinkedHashMap<Integer, byte[]>();
    two.put(1, shares.get(1));
    two.put(2, shares.get(2));
    byte[] guess;
    try {
      guess = ShamirSharing.reconstruct(two, 32);
    } catch (io.covenant.core.error.MalformedInputException e) {
      guess = null; // two shares of a degree-2 polynomial interpolate to an unrelated field element, usually too big
    }
    assertTrue(guess == null || !java.util.Arrays.equals(secret, guess), "two shares of a 3-of-5 sharing must not give the secret");
  }
}
