package io.covenant.ledger.merkle;

import io.covenant.core.crypto.Digest;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** RFC 9162 section 2.1 written out literally and recursively, to check the optimised tree against. */
final class Rfc9162Reference {
  private Rfc9162Reference() {}

  static byte[] sha(byte prefix, byte[]... parts) {
    MessageDigest md = Digest.newSha256();
    md.update(prefix);
    for (byte[] p : parts) md.update(p);
    return md.digest();
  }

  /** MTH(D[n]) over leaf *data* (not hashes). */
  static byte[] mth(List<byte[]> d) {
    int n = d.size();
    if (n == 0) return Digest.newSha256().digest();
    if (n == 1) return sha((byte) 0, d.get(0));
    int k = k(n);
    return sha((byte) 1, mth(d.subList(0, k)), mth(d.subList(k, n)));
  }

  /** PATH(m, D[n]). */
  static List<byte[]> path(int m, List<byte[]> d) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (n == 1) return out;
    int k = k(n);
    if (m < k) {
      out.addAll(path(m, d.subList(0, k)));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(path(m - k, d.subList(k, n)));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
  static List<byte[]> proof(int m, List<byte[]> d) {
    return subproof(m, d, true);
  }

  private static List<byte[]> subproof(int m, List<byte[]> d, boolean b) {
    int n = d.size();
    List<byte[]> out = new ArrayList<>();
    if (m == n) {
      if (!b) out.add(mth(d));
      return out;
    }
    int k = k(n);
    if (m <= k) {
      out.addAll(subproof(m, d.subList(0, k), b));
      out.add(mth(d.subList(k, n)));
    } else {
      out.addAll(subproof(m - k, d.subList(k, n), false));
      out.add(mth(d.subList(0, k)));
    }
    return out;
  }

  /** The largest power of two smaller than n, found by counting up as the RFC words it. */
  private static int k(int n) {
    int k = 1;
    while (k * 2 < n) k *= 2;
    return k;
  }
}
