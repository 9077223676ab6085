package io.covenant.mpc.psi;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A party's ids, normalised ({@link IdRule}), digested with the job's domain (SHA-256 over the job domain and the
 * normalised id, first 128 bits) and de-duplicated: the protocols run over distinct digests only, so a repeated id is
 * never sent twice (which would tell the peer that it repeats). {@link #rowsOf} maps results back to every row.
 */
final class PreparedIds {
  private static final int READ_BATCH = 8192;

  final int rows;
  /** Distinct digests, two longs each, in order of first occurrence. */
  final long[] digests;
  final int distinct;
  /** For each input row, the index of its distinct digest. */
  final int[] rowToDistinct;
  /** The first row at which a repeated id was seen again, or -1. */
  final int firstRepeatedRow;

  private PreparedIds(int rows, long[] digests, int distinct, int[] rowToDistinct, int firstRepeatedRow) {
    this.rows = rows;
    this.digests = digests;
    this.distinct = distinct;
    this.rowToDistinct = rowToDistinct;
    this.firstRepeatedRow = firstRepeatedRow;
  }

  static PreparedIds of(IdSource source, PsiJob job) {
    int n = source.size();
    byte[] domain = job.idDomain();
    long[] digests = new long[2 * n];
    int[] rowToDistinct = new int[n];
    DigestIndex index = new DigestIndex(n);
    MessageDigest sha = HashToCurveP256.sha256();
    int[] state = {0, 0, -1}; // next row, distinct count, first repeated row
    source.forEachBatch(READ_BATCH, batch -> {
      for (String id : batch) {
        int row = state[0]++;
        if (row >= n) throw new io.covenant.core.error.MalformedInputException("the id column announced " + n + " rows but produced more");
        String normal = job.idRule().normalise(id, row);
        sha.update(domain);
        ByteBuffer d = ByteBuffer.wrap(sha.digest(normal.getBytes(StandardCharsets.UTF_8)));
        long h = d.getLong();
        long l = d.getLong();
        int existing = index.putIfAbsent(h, l, state[1]);
        if (existing >= 0) {
          rowToDistinct[row] = existing;
          if (state[2] < 0) state[2] = row;
        } else {
          digests[2 * state[1]] = h;
          digests[2 * state[1] + 1] = l;
          rowToDistinct[row] = state[1]++;
        }
      }
    });
    if (state[0] != n) throw new io.covenant.core.error.MalformedInputException("the id column announced " + n + " rows but produced " + state[0]);
    return new PreparedIds(n, digests, state[1], rowToDistinct, state[2]);
  }

  /** The 16 digest bytes of distinct id {@code i}. */
  byte[] digestBytes(int i) {
    return ByteBuffer.allocate(16).putLong(digests[2 * i]).putLong(digests[2 * i + 1]).array();
  }

  /** Every input row whose distinct id is marked, in row order. */
  int[] rowsOf(boolean[] distinctMatched) {
    int count = 0;
    for (int r = 0; r < rows; r++) if (distinctMatched[rowToDistinct[r]]) count++;
    int[] out = new int[count];
    int k = 0;
    for (int r = 0; r < rows; r++) if (distinctMatched[rowToDistinct[r]]) out[k++] = r;
    return out;
  }
}
