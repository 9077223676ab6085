package io.covenant.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SharesReconstructToTheSecret {

  /** Hands out a fixed script of "random" words, so the shares are known in advance. */
  private static RandomGenerator scripted(long... words) {
    return new RandomGenerator() {
      private int next;

      @Override
      public long nextLong() {
        return words[next++];
      }
    };
  }

  @Test
  void knownAnswerShares() {
    // secret 42: x_0 = 10, x_1 = 20, x_2 = 42 - 30 = 12; secret -1: x_0 = 2^63, x_1 = 1, x_2 = -1 - 2^63 - 1 = 2^63 - 2.
    List<ShareVector> views = ReplicatedSharing.share(new long[] {42, -1}, scripted(10, 20, Long.MIN_VALUE, 1));
    assertArrayEquals(new long[] {10, Long.MIN_VALUE}, views.get(0).firstShare());
    assertArrayEquals(new long[] {20, 1}, views.get(0).secondShare());
    assertArrayEquals(new long[] {20, 1}, views.get(1).firstShare());
    assertArrayEquals(new long[] {12, Long.MAX_VALUE - 1}, views.get(1).secondShare());
    assertArrayEquals(new long[] {12, Long.MAX_VALUE - 1}, views.get(2).firstShare());
    assertArrayEquals(new long[] {10, Long.MIN_VALUE}, views.get(2).secondShare());
    assertEquals(List.of(Party.P0, Party.P1, Party.P2), views.stream().map(ShareVector::holder).toList());
  }

  @Test
  void anyTwoPartiesReconstructRandomVectors() {
    SplittableRandom r = new SplittableRandom(3);
    SecureRandom strong = new SecureRandom();
    for (int trial = 0; trial < 50; trial++) {
      long[] secret = r.longs(r.nextInt(0, 300)).toArray();
      List<ShareVector> views = ReplicatedSharing.share(secret, strong);
      for (int a = 0; a < 3; a++) {
        for (int b = 0; b < 3; b++) {
          if (a != b) assertArrayEquals(secret, ReplicatedSharing.reconstruct(views.get(a), views.get(b)));
        }
      }
    }
  }

  @Test
  void aSinglePartysSharesAreRefusedAndDoNotAddUpToTheSecret() {
    long[] secret = new SplittableRandom(5).longs(10_000).toArray();
    List<ShareVector> views = ReplicatedSharing.share(secret, new SecureRandom());
    for (ShareVector v : views) {
      var e = assertThrows(MalformedInputException.class, () -> ReplicatedSharing.reconstruct(v, v));
      assertTrue(e.getMessage().contains("reconstruction needs the views of two different parties"), e.getMessage());
      long[] f = v.firstShare();
      long[] s = v.secondShare();
      int hits = 0;
      for (int j = 0; j < secret.length; j++) {
        if (f[j] + s[j] == secret[j] || f[j] == secret[j] || s[j] == secret[j]) hits++;
      }
      assertEquals(0, hits, "a single party's shares matched the secret");
    }
  }

  @Test
  void viewsFromDifferentSharingsAreRefused() {
    long[] secret = {1, 2, 3};
    List<ShareVector> one = ReplicatedSharing.share(secret, new SecureRandom());
    List<ShareVector> other = ReplicatedSharing.share(secret, new SecureRandom());
    var e = assertThrows(IntegrityException.class, () -> ReplicatedSharing.reconstruct(one.get(0), other.get(1)));
    assertTrue(e.getMessage().contains("disagree on share x_1 at element 0"), e.getMessage());
    assertFalse(e.getMessage().contains(Long.toString(one.get(0).secondShare()[0])), "shares must not appear in messages");
  }

  @Test
  void shareVectorsDoNotPrintShares() {
    ShareVector v = ReplicatedSharing.share(new long[] {777777777L}, scripted(123456789L, 987654321L)).get(0);
    assertEquals("ShareVector[party 0, 1 elements]", v.toString());
  }
}
