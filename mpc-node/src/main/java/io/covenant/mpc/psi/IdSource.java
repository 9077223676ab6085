package io.covenant.mpc.psi;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A party's id column, read in batches in row order. The engines never hold it as one array of objects: each batch is
 * normalised and digested to 16 bytes per row (two {@code long}s) before the next is read, so 10M ids cost 160 MB of
 * primitive arrays, not 10M strings.
 */
public interface IdSource {
  /** Rows in the column. */
  int size();

  /** Calls {@code sink} with consecutive batches of at most {@code batchSize} ids, from row 0 to the last row. */
  void forEachBatch(int batchSize, Consumer<List<String>> sink);

  /** A column already in memory (tests, small sets). */
  static IdSource of(List<String> ids) {
    List<String> copy = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ids));
    return new IdSource() {
      @Override
      public int size() {
        return copy.size();
      }

      @Override
      public void forEachBatch(int batchSize, Consumer<List<String>> sink) {
        for (int from = 0; from < copy.size(); from += batchSize) sink.accept(copy.subList(from, Math.min(copy.size(), from + batchSize)));
      }
    };
  }

  /** A column whose row {@code i} is {@code idAt.apply(i)}, generated batch by batch (benchmarks, synthetic data). */
  static IdSource generated(int size, IntFunction<String> idAt) {
    if (size < 0) throw new io.covenant.core.error.MalformedInputException("a column has 0 or more rows, not " + size);
    return new IdSource() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public void forEachBatch(int batchSize, Consumer<List<String>> sink) {
        for (int from = 0; from < size; from += batchSize) {
          int to = Math.min(size, from + batchSize);
          String[] batch = new String[to - from];
          for (int i = from; i < to; i++) batch[i - from] = idAt.apply(i);
          sink.accept(List.of(batch));
        }
      }
    };
  }
}
