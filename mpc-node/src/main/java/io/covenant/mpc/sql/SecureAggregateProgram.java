package io.covenant.mpc.sql;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.protocol.SecureComparison;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One party's program for a {@link SecureAggregateQuery}: every committee member runs it with its own contribution
 * (its partial aggregates plus its own noise; zeros for a member that owns no input), and ends holding its replicated
 * shares of the released vectors, which it seals to the consumer ({@link SealedShares}). No party opens anything.
 *
 * <p>Rounds: three input rounds (one per party, (k+1)·G words each), one comparison of 2·G values (the noisy row counts
 * with the minimum cohort, the exact ones with zero: 10 rounds, {@link SecureComparison}), one multiplication round for
 * their AND (G words) and one (k·G words) that zeroes every measurement of a withheld group, so a withheld group's
 * values never reach the consumer either.
 */
public final class SecureAggregateProgram {
  private SecureAggregateProgram() {}

  /**
   * Returns this party's shares of {@code kept (G flags) ‖ measurements (k·G, zero where not kept)}.
   *
   * @param ownContribution this party's k·G partial aggregates plus its own noise, measurement-major, then its G exact
   *     row counts (k·G + G values in all; see {@link #contribution})
   */
  public static ShareVector run(PartySession session, SecureAggregateQuery query, long[] ownContribution) {
    int g = query.groups();
    int measured = query.measurements().size() * g;
    int length = measured + g;
    if (ownContribution == null || ownContribution.length != length) {
      throw new MalformedInputException(session.committee().describe(session.self()) + " has a contribution of "
          + (ownContribution == null ? "no" : ownContribution.length) + " values; the query needs " + length);
    }
    ShareVector total = null;
    for (Party p : Party.all()) {
      ShareVector x = session.input(p, p.equals(session.self()) ? ownContribution : null);
      if (x.length() != length) {
        throw new MalformedInputException(session.committee().describe(p) + " shared " + x.length() + " values but the query needs "
            + length + ": it compiled another query; the computation stops");
      }
      total = total == null ? x : session.add(total, x);
    }
    // A group is released when it holds a row (exact count above 0, as the enclave releases only groups present in the
    // data) and its noisy row count reaches the minimum cohort: both comparisons in one call, then their AND as a product.
    long[] thresholds = new long[2 * g];
    Arrays.fill(thresholds, 0, g, query.controls().minCohort() - 1L);
    ShareVector noisyAndExactRows = ShareVector.concat(List.of(total.slice(0, g), total.slice(measured, length)));
    ShareVector above = SecureComparison.greaterThanPublic(noisyAndExactRows, thresholds, session);
    ShareVector kept = session.multiply(above.slice(0, g), above.slice(g, 2 * g));
    List<ShareVector> repeated = new ArrayList<>();
    for (int m = 0; m < query.measurements().size(); m++) repeated.add(kept);
    ShareVector masked = session.multiply(ShareVector.concat(repeated), total.slice(0, measured));
    return ShareVector.concat(List.of(kept, masked));
  }

  /** What one party feeds in: its partial aggregates plus its noise (k·G values), then its exact row counts (G). */
  public static long[] contribution(SecureAggregateQuery query, long[] partials, long[] noise) {
    int g = query.groups();
    int measured = query.measurements().size() * g;
    if (partials.length != measured || noise.length != measured) throw new MalformedInputException("partials and noise must have k·G = " + measured + " values");
    long[] out = new long[measured + g];
    for (int i = 0; i < measured; i++) out[i] = partials[i] + noise[i];
    System.arraycopy(partials, 0, out, measured, g);
    return out;
  }
}
