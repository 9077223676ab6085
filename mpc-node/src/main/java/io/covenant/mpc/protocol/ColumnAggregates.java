package io.covenant.mpc.protocol;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import java.util.List;

/**
 * Sum, count, mean and variance of a shared fixed-point column, the aggregates of SQL's SUM, COUNT, AVG and VAR_POP.
 * Sums and counts are local (linear); a mean over a public row count multiplies by a public reciprocal; a mean over a
 * secret count (rows selected by a shared 0/1 indicator) divides by {@link NewtonRaphsonDivision}.
 *
 * <p>Costs per call: {@link #sum} and {@link #count}: 0 rounds. {@link #mean}: 2 rounds, 1 word (two truncations of a
 * single value). {@link #variance}: 6 rounds; n words per party to square the column (one multiplication and one
 * truncation of n values), then a constant number of words.
 */
public final class ColumnAggregates {
  private static final int MEAN_GUARD_BITS = 6;

  private ColumnAggregates() {}

  /** Σ x as a shared vector of length 1 (fixed-point if x is). Local. */
  public static ShareVector sum(ShareVector x) {
    return ReplicatedSharing.sum(x);
  }

  /** Σ of a 0/1 indicator, as a ring integer of length 1. Local. */
  public static ShareVector count(ShareVector indicator) {
    return ReplicatedSharing.sum(indicator);
  }

  /** A ring-integer count as a fixed-point number (multiplies by the public 2^f). Local. */
  public static ShareVector countAsFixedPoint(ShareVector count, PartySession session) {
    return ReplicatedSharing.multiplyPublic(count, 1L << session.fixedPoint().fractionalBits());
  }

  /**
   * Each of the fixed-point {@code sums} divided by the public {@code rows}. The sum is first scaled down by 2^L (L the
   * bit length of rows), then multiplied by round(2^(L+f+6) / rows) and truncated by f + 6 bits: dividing by a public
   * 1/rows directly would round 1/rows to zero for large row counts. The constant is exact to 2^-(f+7) relative; the
   * second truncation handles about |mean|·2^(2f+6) and fails with probability about |mean|·2^(2f-58) per value
   * (2^-26·|mean| for f = 16).
   */
  public static ShareVector mean(ShareVector sums, long rows, PartySession session) {
    if (rows < 1) throw new MalformedInputException("a mean over " + rows + " rows is undefined: at least one row is needed");
    int f = session.fixedPoint().fractionalBits();
    int bits = 64 - Long.numberOfLeadingZeros(rows);
    if (bits + f + MEAN_GUARD_BITS > 62) throw new MalformedInputException(rows + " rows are too many for a fixed-point mean with " + f + " fractional bits");
    long scale = Math.round(Math.scalb(1.0, bits + f + MEAN_GUARD_BITS) / rows);
    ShareVector scaledDown = session.truncate(sums, bits);
    return session.truncate(ReplicatedSharing.multiplyPublic(scaledDown, scale), f + MEAN_GUARD_BITS);
  }

  /** The population variance of the fixed-point column x, E[x²] − E[x]², as a vector of length 1. */
  public static ShareVector variance(ShareVector x, PartySession session) {
    if (x.length() == 0) throw new MalformedInputException("the variance of an empty column is undefined");
    ShareVector squares = session.multiplyFixedPoint(x, x);
    ShareVector sums = ArithmeticShares.concat(List.of(sum(x), sum(squares)));
    ShareVector means = mean(sums, x.length(), session);
    ShareVector mean = ArithmeticShares.slice(means, 0, 1);
    ShareVector meanOfSquares = ArithmeticShares.slice(means, 1, 2);
    return ReplicatedSharing.subtract(meanOfSquares, session.multiplyFixedPoint(mean, mean));
  }

  /** Σ x / Σ indicator over the rows the shared 0/1 indicator selects; the count must be below 2^maxCountBits. */
  public static ShareVector meanOfSelected(ShareVector x, ShareVector indicator, int maxCountBits, PartySession session) {
    ShareVector selectedSum = sum(session.multiply(x, indicator));
    return NewtonRaphsonDivision.divide(selectedSum, countAsFixedPoint(count(indicator), session), maxCountBits, session);
  }
}
