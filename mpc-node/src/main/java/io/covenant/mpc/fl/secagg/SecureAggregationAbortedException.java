package io.covenant.mpc.fl.secagg;

import io.covenant.core.error.CovenantException;
import java.util.List;

/**
 * Secure aggregation could not complete: fewer hospitals than the threshold remained at some step, so the sum cannot
 * be unmasked. Names every hospital that dropped and the step. Neither the sum nor any single update was revealed.
 */
public final class SecureAggregationAbortedException extends CovenantException {
  private final List<DroppedHospital> dropped;

  SecureAggregationAbortedException(String message, List<DroppedHospital> dropped) {
    super(message);
    this.dropped = List.copyOf(dropped);
  }

  /** The hospitals that dropped out of the round, in the order the aggregator noticed; empty on the hospitals' side. */
  public List<DroppedHospital> dropped() {
    return dropped;
  }
}
