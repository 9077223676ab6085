package io.covenant.mpc.psi;

import io.covenant.core.error.CovenantException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Cuckoo hashing with three hash functions and no stash (Pagh and Rodler, "Cuckoo hashing", J. Algorithms 2004; the
 * three-function, stash-free parameters of Pinkas, Schneider and Zohner, "Scalable Private Set Intersection Based on OT
 * Extension", ACM TOPS 2018, §6.2 / Table 3: 1.27·n bins keep the failure probability below 2^-40 for large n). KKRT16
 * §5 uses the same hashing (there with 1.2·n bins and a stash); without a stash a failure, if it happens, is an error
 * and the run is repeated with fresh hash keys.
 *
 * <p>The hash functions are keyed by a seed both parties derive from their nonces, so a failing table does not fail
 * again on a rerun. The receiver places each of its ids in one of its three bins; the sender evaluates all three.
 */
final class CuckooTable {
  static final int HASHES = 3;
  static final double FACTOR = 1.27;
  private static final int MAX_KICKS = 1000;

  final int bins;
  /** For each bin, the distinct id it holds, or -1. */
  final int[] item;
  /** For each occupied bin, which of the three hash functions put it there. */
  final byte[] function;

  private CuckooTable(int bins) {
    this.bins = bins;
    item = new int[bins];
    function = new byte[bins];
    Arrays.fill(item, -1);
  }

  /** Bins for n ids: 1.27·n plus a margin for small sets, rounded up to a multiple of 64 (the OT batch granularity). */
  static int binsFor(int n) {
    long m = (long) Math.ceil(FACTOR * n) + 128;
    return (int) ((m + 63) / 64 * 64);
  }

  /** The bin that hash function {@code h} assigns to the digest (hi, lo) under {@code seed}. */
  static int bin(long[] seed, int h, long hi, long lo, int bins) {
    long x = hi ^ seed[2 * h];
    x = mix(x) ^ lo ^ seed[2 * h + 1];
    x = mix(x);
    return (int) Long.remainderUnsigned(x, bins);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long[] seed(byte[] joint) {
    ByteBuffer b = ByteBuffer.wrap(joint);
    long[] s = new long[2 * HASHES];
    for (int i = 0; i < 4; i++) s[i] = b.getLong();
    s[4] = mix(s[0] + 0x9E3779B97F4A7C15L);
    s[5] = mix(s[1] + 0x9E3779B97F4A7C15L);
    return s;
  }

  /** Places every distinct digest of {@code ids}; fails with a clear error in the rare case that the table is too full. */
  static CuckooTable build(PreparedIds ids, long[] seed, String jobId) {
    CuckooTable t = new CuckooTable(binsFor(ids.distinct));
    SplittableRandom walk = new SplittableRandom(seed[0]);
    for (int i = 0; i < ids.distinct; i++) {
      int current = i;
      int h = -1;
      int kicks = 0;
      while (true) {
        long hi = ids.digests[2 * current];
        long lo = ids.digests[2 * current + 1];
        int free = -1;
        for (int f = 0; f < HASHES && free < 0; f++) { // an empty candidate bin first: far fewer evictions
          if (f != h && t.item[bin(seed, f, hi, lo, t.bins)] < 0) free = f;
        }
        int chosen = free >= 0 ? free : h < 0 ? walk.nextInt(HASHES) : (h + 1 + walk.nextInt(HASHES - 1)) % HASHES;
        int b = bin(seed, chosen, hi, lo, t.bins);
        int evicted = t.item[b];
        int evictedFunction = t.function[b];
        t.item[b] = current;
        t.function[b] = (byte) chosen;
        if (evicted < 0) break;
        if (++kicks > MAX_KICKS) {
          throw new CovenantException("PSI job " + jobId + ": cuckoo hashing could not place " + ids.distinct + " ids in " + t.bins
              + " bins (probability below 2^-40); rerun the job: each run draws new hash keys");
        }
        current = evicted;
        h = evictedFunction; // the evicted id goes to one of its other bins
      }
    }
    return t;
  }
}
