package io.covenant.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.mpc.ring.Ring64;
import io.covenant.mpc.transport.Party;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Property: Araki et al.'s multiplication reconstructs to the plaintext product mod 2^64, at the paper's cost. */
class BeaverFreeProductsMatchPlaintext {
  private static final SecureRandom STRONG = new SecureRandom();

  private static long[] withEdges(long[] v, long... edges) {
    System.arraycopy(edges, 0, v, 0, Math.min(edges.length, v.length));
    return v;
  }

  @Test
  void elementWiseProductsOfRandomVectors() {
    SplittableRandom r = new SplittableRandom(17);
    for (int trial = 0; trial < 10; trial++) {
      int n = trial == 0 ? 1 : r.nextInt(2, 20_000);
      long[] x = withEdges(r.longs(n).toArray(), Long.MIN_VALUE, -1, Long.MAX_VALUE, 1L << 32, 0);
      long[] y = withEdges(r.longs(n).toArray(), -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, 12345);
      List<ShareVector> xs = ReplicatedSharing.share(x, STRONG);
      List<ShareVector> ys = ReplicatedSharing.share(y, STRONG);
      var outcome = InProcessParties.run((ch, rnd) ->
          BeaverFreeMultiplication.multiply(xs.get(ch.self().index()), ys.get(ch.self().index()), rnd, ch));
      long[] expected = Ring64.multiply(x, y);
      assertArrayEquals(expected, ReplicatedSharing.reconstruct(outcome.of(Party.P0), outcome.of(Party.P1)));
      assertArrayEquals(expected, ReplicatedSharing.reconstruct(outcome.of(Party.P1), outcome.of(Party.P2)));
      assertArrayEquals(expected, ReplicatedSharing.reconstruct(outcome.of(Party.P2), outcome.of(Party.P0)));
    }
  }

  @Test
  void productsChainAndMixWithLocalOperations() {
    // (x*y + z) * x, with the intermediate result never opened.
    SplittableRandom r = new SplittableRandom(19);
    long[] x = r.longs(3000).toArray();
    long[] y = r.longs(3000).toArray();
    long[] z = r.longs(3000).toArray();
    List<ShareVector> xs = ReplicatedSharing.share(x, STRONG);
    List<ShareVector> ys = ReplicatedSharing.share(y, STRONG);
    List<ShareVector> zs = ReplicatedSharing.share(z, STRONG);
    var outcome = InProcessParties.run((ch, rnd) -> {
      int i = ch.self().index();
      ShareVector xy = BeaverFreeMultiplication.multiply(xs.get(i), ys.get(i), rnd, ch);
      return BeaverFreeMultiplication.multiply(ReplicatedSharing.add(xy, zs.get(i)), xs.get(i), rnd, ch);
    });
    long[] expected = Ring64.multiply(Ring64.add(Ring64.multiply(x, y), z), x);
    assertArrayEquals(expected, ReplicatedSharing.reconstruct(outcome.of(Party.P2), outcome.of(Party.P0)));
  }

  @Test
  void eachPartySendsOneWordPerElementInOneMessageToItsPreviousParty() {
    int n = 10_000;
    List<ShareVector> xs = ReplicatedSharing.share(new long[n], STRONG);
    List<ShareVector> ys = ReplicatedSharing.share(new long[n], STRONG);
    var outcome = InProcessParties.run((ch, rnd) ->
        BeaverFreeMultiplication.multiply(xs.get(ch.self().index()), ys.get(ch.self().index()), rnd, ch));
    for (var c : outcome.channels()) {
      assertEquals(n, c.wordsToPrevious);
      assertEquals(1, c.messagesToPrevious);
      assertEquals(0, c.wordsToNext);
    }
  }

  @Test
  void resharedProductSharesAreMaskedByTheZeroSharing() {
    // Secrets are all zero, so without alpha_i every z_i would be a fixed function of the input shares; with it, the
    // word a party receives is fresh randomness that differs from each of its own shares.
    int n = 1000;
    List<ShareVector> xs = ReplicatedSharing.share(new long[n], STRONG);
    List<ShareVector> ys = ReplicatedSharing.share(new long[n], STRONG);
    var first = InProcessParties.run((ch, rnd) ->
        BeaverFreeMultiplication.multiply(xs.get(ch.self().index()), ys.get(ch.self().index()), rnd, ch));
    var second = InProcessParties.run((ch, rnd) ->
        BeaverFreeMultiplication.multiply(xs.get(ch.self().index()), ys.get(ch.self().index()), rnd, ch));
    for (Party p : Party.all()) {
      long[] a = first.of(p).secondShare();
      long[] b = second.of(p).secondShare();
      int same = 0;
      for (int j = 0; j < n; j++) if (a[j] == b[j]) same++;
      assertEquals(0, same, "the same inputs gave the same received share twice: the product shares are not re-randomised");
    }
  }

  @Test
  void innerProductSendsOneWordWhateverTheLength() {
    SplittableRandom r = new SplittableRandom(23);
    long[] x = r.longs(50_000).toArray();
    long[] y = r.longs(50_000).toArray();
    List<ShareVector> xs = ReplicatedSharing.share(x, STRONG);
    List<ShareVector> ys = ReplicatedSharing.share(y, STRONG);
    var outcome = InProcessParties.run((ch, rnd) ->
        BeaverFreeMultiplication.innerProduct(xs.get(ch.self().index()), ys.get(ch.self().index()), rnd, ch));
    assertArrayEquals(new long[] {Ring64.innerProduct(x, y)}, ReplicatedSharing.reconstruct(outcome.of(Party.P0), outcome.of(Party.P2)));
    for (var c : outcome.channels()) assertEquals(1, c.wordsToPrevious + c.wordsToNext);
    assertNotEquals(0, Ring64.innerProduct(x, y));
  }
}
