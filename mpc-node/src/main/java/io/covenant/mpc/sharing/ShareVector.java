package io.covenant.mpc.sharing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;

/**
 * One party's view of a secret vector x = x_0 + x_1 + x_2 (mod 2^64) under 2-out-of-3 replicated sharing: party i
 * holds the pair (x_i, x_{i+1}). Any two parties together hold all three shares; one party alone holds two
 * uniformly random values that say nothing about x. Immutable; its {@code toString} never shows shares.
 */
public final class ShareVector {
  private final Party holder;
  private final long[] first;
  private final long[] second;

  /** Takes ownership of the arrays: callers in this package hand over fresh arrays and never touch them again. */
  ShareVector(Party holder, long[] first, long[] second) {
    if (first.length != second.length) throw new IllegalStateException("share halves of different lengths");
    this.holder = holder;
    this.first = first;
    this.second = second;
  }

  /** Rebuilds a party's view from its two share arrays (copied), e.g. when loading shares a node stored. */
  public static ShareVector of(Party holder, long[] firstShare, long[] secondShare) {
    if (firstShare.length != secondShare.length) {
      throw new MalformedInputException("the two shares held by " + holder + " have " + firstShare.length
          + " and " + secondShare.length + " elements: a party holds two shares of the same length");
    }
    return new ShareVector(holder, firstShare.clone(), secondShare.clone());
  }

  /** Elements [from, to) of this vector; only that range is copied. */
  public ShareVector slice(int from, int to) {
    if (from < 0 || to > first.length || from > to) {
      throw new MalformedInputException("cannot take elements " + from + " to " + to + " of a shared vector of " + first.length + " elements");
    }
    return new ShareVector(holder, java.util.Arrays.copyOfRange(first, from, to), java.util.Arrays.copyOfRange(second, from, to));
  }

  /** The vectors one after the other, e.g. to run several independent steps in one round. All must be one party's. */
  public static ShareVector concat(java.util.List<ShareVector> parts) {
    if (parts.isEmpty()) throw new MalformedInputException("there is nothing to concatenate");
    Party holder = parts.getFirst().holder;
    int total = 0;
    for (ShareVector p : parts) {
      if (!p.holder.equals(holder)) {
        throw new MalformedInputException("cannot concatenate shares held by " + holder + " and " + p.holder + ": each party combines only its own shares");
      }
      total = Math.addExact(total, p.first.length);
    }
    long[] f = new long[total];
    long[] s = new long[total];
    int at = 0;
    for (ShareVector p : parts) {
      System.arraycopy(p.first, 0, f, at, p.first.length);
      System.arraycopy(p.second, 0, s, at, p.second.length);
      at += p.first.length;
    }
    return new ShareVector(holder, f, s);
  }

  public Party holder() {
    return holder;
  }

  public int length() {
    return first.length;
  }

  /** x_i for holder i (a copy). */
  public long[] firstShare() {
    return first.clone();
  }

  /** x_{i+1} for holder i (a copy). */
  public long[] secondShare() {
    return second.clone();
  }

  long[] first() {
    return first;
  }

  long[] second() {
    return second;
  }

  @Override
  public String toString() {
    return "ShareVector[" + holder + ", " + first.length + " elements]";
  }
}
