package io.covenant.mpc.engine;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.Optional;

/**
 * Ready-made programs over the three parties' own data. Each is called by all three parties at the same point of their
 * program, with their own data; only {@code recipient} learns the result, and nobody learns another party's values.
 * Column lengths are public (every party learns how many rows the others contribute).
 */
public final class SecureStatistics {
  private SecureStatistics() {}

  /** The row count, sum and mean of a column spread over the three parties (each holds some rows). */
  public record ColumnTotals(long rows, double sum, double mean) {}

  /**
   * Each party contributes {@code ownColumn} (possibly empty); {@code recipient} learns the total number of rows, their
   * sum and their mean. Sums are exact in the fixed-point encoding (each value rounded once, to 2^-f), so the total
   * must stay below {@link io.covenant.mpc.ring.FixedPoint#magnitudeLimit()}. The mean is the opened sum divided by the
   * public row count, which reveals nothing beyond the sum and avoids a fixed-point division.
   *
   * <p>Cost: three input rounds and one opening; no multiplication.
   */
  public static Optional<ColumnTotals> sumAndMean(PartySession session, double[] ownColumn, Party recipient) {
    ShareVector total = null;
    long rows = 0;
    for (Party owner : Party.all()) {
      ShareVector column = session.inputFixedPoint(owner, owner.equals(session.self()) ? ownColumn : null);
      rows += column.length();
      ShareVector columnSum = session.sum(column);
      total = total == null ? columnSum : session.add(total, columnSum);
    }
    if (rows == 0) {
      throw new MalformedInputException("none of the three parties contributed a row: a mean of no values is undefined");
    }
    long finalRows = rows;
    return session.revealFixedPointTo(total, recipient).map(sum -> new ColumnTotals(finalRows, sum[0], sum[0] / finalRows));
  }

  /**
   * {@code xOwner}'s vector x and {@code yOwner}'s vector y, of the same length; {@code recipient} learns Σ x_j·y_j in
   * Z_2^64 (exact for integers whose true inner product lies in [-2^63, 2^63)). Each party passes its own vector if it
   * owns one, otherwise anything (it is ignored).
   *
   * <p>Cost: two input rounds, one inner-product round (one word per party) and one opening of one word.
   */
  public static Optional<Long> innerProduct(PartySession session, Party xOwner, Party yOwner, long[] ownVector, Party recipient) {
    if (xOwner.equals(yOwner)) {
      throw new MalformedInputException(xOwner + " owns both vectors: it can compute their inner product itself, no MPC is needed");
    }
    Party self = session.self();
    ShareVector x = session.input(xOwner, self.equals(xOwner) ? ownVector : null);
    ShareVector y = session.input(yOwner, self.equals(yOwner) ? ownVector : null);
    if (x.length() != y.length()) {
      throw new MalformedInputException(session.committee().describe(xOwner) + " shared " + x.length() + " elements and "
          + session.committee().describe(yOwner) + " shared " + y.length() + ": an inner product needs vectors of the same length");
    }
    return session.revealTo(session.innerProduct(x, y), recipient).map(v -> v[0]);
  }
}
