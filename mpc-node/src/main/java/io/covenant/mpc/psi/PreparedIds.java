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
    int[] state = {0, 0, -1}; // next row, distinct count, first repeated row
    java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(job.threads());
    try {
      source.forEachBatch(READ_BATCH, batch -> {
        int first = state[0];
        if (first + batch.size() > n) throw new io.covenant.core.error.MalformedInputException("the id column announced " + n + " rows but produced more");
        long[] batchDigests = digestAll(batch, first, domain, job.idRule(), pool, job.threads());
        for (int k = 0; k < batch.size(); k++) {
          int row = state[0]++;
          long h = batchDigests[2 * k];
          long l = batchDigests[2 * k + 1];
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
    } finally {
      pool.shutdownNow();
    }
    if (state[0] != n) throw new io.covenant.core.error.MalformedInputException("the id column announced " + n + " rows but produced " + state[0]);
    return new PreparedIds(n, digests, state[1], rowToDistinct, state[2]);
  }

  /** Normalises and digests one batch on the party's threads; the first malformed row (lowest index) is reported. */
  private static long[] digestAll(java.util.List<String> batch, int firstRow, byte[] domain, IdRule rule, java.util.concurrent.ForkJoinPool pool,
      int threads) {
    long[] out = new long[2 * batch.size()];
    int chunks = Math.min(threads, Math.max(1, batch.size() / 512));
    java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
    for (int c = 0; c < chunks; c++) {
      int from = batch.size() * c / chunks;
      int to = batch.size() * (c + 1) / chunks;
      futures.add(pool.submit(() -> {
        MessageDigest sha = HashToCurveP256.hash();
        for (int k = from; k < to; k++) {
          String normal = rule.normalise(batch.get(k), (long) firstRow + k);
          sha.update(domain);
          ByteBuffer d = ByteBuffer.wrap(sha.digest(normal.getBytes(StandardCharsets.UTF_8)));
          out[2 * k] = d.getLong();
          out[2 * k + 1] = d.getLong();
        }
      }));
    }
    RuntimeException first = null;
    for (java.util.concurrent.Future<?> f : futures) { // in chunk order, so the lowest malformed row wins
      try {
        f.get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (first == null) first = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new io.covenant.core.error.CovenantException("reading the id column was interrupted", e);
      }
    }
    if (first != null) throw first;
    return out;
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
