package io.covenant.mpc.protocol;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;

/**
 * One party's view of a vector of 64-bit words under 2-out-of-3 replicated <em>boolean</em> sharing: w = w_0 ⊕ w_1 ⊕ w_2
 * and party i holds (w_i, w_{i+1}), as in Araki et al. (CCS 2016) and ABY3 (Mohassel and Rindal, CCS 2018, §2.2).
 * Each word carries 64 bits that the protocols treat in parallel (bit j of every word is one bit of one element).
 *
 * <p>XOR, shifts and masks with public words are local; AND needs a round ({@link BooleanAnd}). Immutable; its
 * {@code toString} never shows shares.
 */
public final class BitShareVector {
  private final Party holder;
  private final long[] first;
  private final long[] second;

  BitShareVector(Party holder, long[] first, long[] second) {
    if (first.length != second.length) throw new IllegalStateException("share halves of different lengths");
    this.holder = holder;
    this.first = first;
    this.second = second;
  }

  public Party holder() {
    return holder;
  }

  public int length() {
    return first.length;
  }

  long[] first() {
    return first;
  }

  long[] second() {
    return second;
  }

  BitShareVector xor(BitShareVector o) {
    requireCompatible(o, "XOR");
    int n = first.length;
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = first[j] ^ o.first[j];
      s[j] = second[j] ^ o.second[j];
    }
    return new BitShareVector(holder, f, s);
  }

  /** w ⊕ c for public words c: c goes into slot 0 only. */
  BitShareVector xorPublic(long[] constants) {
    long[] f = first.clone();
    long[] s = second.clone();
    if (holder.index() == 0) for (int j = 0; j < f.length; j++) f[j] ^= constants[j];
    if (holder.index() == 2) for (int j = 0; j < s.length; j++) s[j] ^= constants[j];
    return new BitShareVector(holder, f, s);
  }

  BitShareVector not() {
    long[] f = first.clone();
    long[] s = second.clone();
    if (holder.index() == 0) for (int j = 0; j < f.length; j++) f[j] = ~f[j];
    if (holder.index() == 2) for (int j = 0; j < s.length; j++) s[j] = ~s[j];
    return new BitShareVector(holder, f, s);
  }

  BitShareVector shiftLeft(int bits) {
    int n = first.length;
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = first[j] << bits;
      s[j] = second[j] << bits;
    }
    return new BitShareVector(holder, f, s);
  }

  BitShareVector shiftRightUnsigned(int bits) {
    int n = first.length;
    long[] f = new long[n];
    long[] s = new long[n];
    for (int j = 0; j < n; j++) {
      f[j] = first[j] >>> bits;
      s[j] = second[j] >>> bits;
    }
    return new BitShareVector(holder, f, s);
  }

  /** This vector followed by {@code o}: one message can then carry both through one AND round. */
  BitShareVector concat(BitShareVector o) {
    requireSameHolder(o, "concatenate");
    int n = first.length;
    int m = o.first.length;
    long[] f = new long[n + m];
    long[] s = new long[n + m];
    System.arraycopy(first, 0, f, 0, n);
    System.arraycopy(o.first, 0, f, n, m);
    System.arraycopy(second, 0, s, 0, n);
    System.arraycopy(o.second, 0, s, n, m);
    return new BitShareVector(holder, f, s);
  }

  private void requireCompatible(BitShareVector o, String operation) {
    requireSameHolder(o, operation);
    if (o.first.length != first.length) {
      throw new MalformedInputException("cannot " + operation + " boolean-shared vectors of " + first.length + " and "
          + o.first.length + " words: both need the same length");
    }
  }

  private void requireSameHolder(BitShareVector o, String operation) {
    if (!o.holder.equals(holder)) {
      throw new MalformedInputException("cannot " + operation + " shares held by " + holder + " and " + o.holder
          + ": each party combines only its own shares");
    }
  }

  @Override
  public String toString() {
    return "BitShareVector[" + holder + ", " + first.length + " words]";
  }
}
