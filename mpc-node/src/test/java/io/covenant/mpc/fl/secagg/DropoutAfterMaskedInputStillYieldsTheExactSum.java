package io.covenant.mpc.fl.secagg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.ring.Ring64;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hospitals that crash mid-round, up to the tolerance, do not spoil the sum: one that dropped after sending its masked
 * input is still in the sum (its self mask is removed from the others' shares of b_u); one that dropped after sharing
 * its keys but before its input is left out (its pairwise masks are recomputed from its reconstructed key).
 */
class DropoutAfterMaskedInputStillYieldsTheExactSum {
  private final List<OrgId> roster = SecAggRun.hospitals(5);

  private List<long[]> inputs() {
    SplittableRandom r = new SplittableRandom(11);
    List<long[]> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) inputs.add(r.longs(512).toArray());
    return inputs;
  }

  private static long[] sumOf(List<long[]> inputs, List<Integer> who) {
    long[] s = new long[inputs.getFirst().length];
    for (int i : who) s = Ring64.add(s, inputs.get(i));
    return s;
  }

  @Test
  void aHospitalThatDropsAfterItsMaskedInputIsStillInTheExactSum() throws Exception {
    OrgId c = roster.get(2);
    // Frames a hospital sends: AdvertiseKeys, ShareKeys, MaskedInput, UnmaskShares. Hospital c leaves after the third.
    SecureSum s = SecAggRun.run(roster, 3, inputs(), (h, l) -> h.equals(c) ? LinksThatFail.closingAfter(l, 3) : l, (h, l) -> l);
    assertArrayEquals(sumOf(inputs(), List.of(0, 1, 2, 3, 4)), s.sum());
    assertEquals(roster, s.contributors());
    assertEquals(List.of(c), s.dropped().stream().map(DroppedHospital::hospital).toList());
    assertEquals("Unmasking", s.dropped().getFirst().step());
  }

  @Test
  void aHospitalThatDropsBeforeItsMaskedInputIsLeftOutAndItsMasksRemoved() throws Exception {
    OrgId b = roster.get(1);
    SecureSum s = SecAggRun.run(roster, 3, inputs(), (h, l) -> h.equals(b) ? LinksThatFail.closingAfter(l, 2) : l, (h, l) -> l);
    assertArrayEquals(sumOf(inputs(), List.of(0, 2, 3, 4)), s.sum());
    assertEquals(List.of(roster.get(0), roster.get(2), roster.get(3), roster.get(4)), s.contributors());
    assertEquals("MaskedInputCollection", s.dropped().getFirst().step());
  }

  @Test
  void oneDropBeforeAndOneAfterTheMaskedInputStillGiveTheExactSum() throws Exception {
    OrgId a = roster.get(0);
    OrgId e = roster.get(4);
    SecureSum s = SecAggRun.run(roster, 3, inputs(), (h, l) -> h.equals(a) ? LinksThatFail.closingAfter(l, 2) : h.equals(e) ? LinksThatFail.closingAfter(l, 3) : l,
        (h, l) -> l);
    assertArrayEquals(sumOf(inputs(), List.of(1, 2, 3, 4)), s.sum());
  }
}
