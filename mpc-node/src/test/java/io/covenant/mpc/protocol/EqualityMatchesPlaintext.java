package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Equality between shares, against public values and against a whole public domain (one-hot), over all of Z_2^64. */
class EqualityMatchesPlaintext {
  @Test
  void equalityIsExactForAnyRingElements() {
    SplittableRandom r = new SplittableRandom(13);
    int n = 1500;
    long[] x = new long[n];
    long[] y = new long[n];
    for (int j = 0; j < n; j++) {
      x[j] = switch (j % 6) {
        case 0 -> 0;
        case 1 -> Long.MIN_VALUE;
        case 2 -> -1;
        default -> r.nextLong();
      };
      // Equal half the time; otherwise off by one bit, or anything.
      y[j] = switch (r.nextInt(4)) {
        case 0, 1 -> x[j];
        case 2 -> x[j] ^ (1L << r.nextInt(64));
        default -> r.nextLong();
      };
    }
    long[] expected = new long[n];
    for (int j = 0; j < n; j++) expected[j] = x[j] == y[j] ? 1 : 0;
    var out = ThreeParties.run(s -> {
      ShareVector xs = ThreeParties.input(s, Party.P0, x);
      ShareVector ys = ThreeParties.input(s, Party.P2, y);
      return List.of(SecureEquality.equal(xs, ys, s), SecureEquality.equalPublic(xs, y, s));
    });
    assertArrayEquals(expected, ReplicatedSharing.reconstruct(out.of(Party.P0).get(0), out.of(Party.P1).get(0)));
    assertArrayEquals(expected, ReplicatedSharing.reconstruct(out.of(Party.P1).get(1), out.of(Party.P2).get(1)));
  }

  @Test
  void oneHotEncodingAgainstAPublicDomainMarksExactlyTheMatchingKey() {
    SplittableRandom r = new SplittableRandom(17);
    long[] domain = {-3, 0, 7, Long.MAX_VALUE};
    long[] keys = new long[800];
    for (int j = 0; j < keys.length; j++) keys[j] = j % 9 == 0 ? 42 : domain[r.nextInt(domain.length)]; // 42: in no group
    var out = ThreeParties.run(s -> SecureEquality.equalsEachPublic(ThreeParties.input(s, Party.P1, keys), domain, s));
    for (int g = 0; g < domain.length; g++) {
      long[] expected = new long[keys.length];
      for (int j = 0; j < keys.length; j++) expected[j] = keys[j] == domain[g] ? 1 : 0;
      assertArrayEquals(expected, ReplicatedSharing.reconstruct(out.of(Party.P2).get(g), out.of(Party.P0).get(g)), "group " + domain[g]);
    }
  }
}
