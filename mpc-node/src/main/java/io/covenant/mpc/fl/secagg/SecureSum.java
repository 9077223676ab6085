package io.covenant.mpc.fl.secagg;

import io.covenant.core.id.OrgId;
import java.util.List;

/**
 * What the aggregator learns from one run of secure aggregation: the sum over Z_2^64 of the contributors' vectors,
 * who contributed (sent a masked input), and who dropped out at which step.
 */
public record SecureSum(long[] sum, List<OrgId> contributors, List<DroppedHospital> dropped) {
  public SecureSum {
    sum = sum.clone();
    contributors = List.copyOf(contributors);
    dropped = List.copyOf(dropped);
  }

  @Override
  public long[] sum() {
    return sum.clone();
  }
}
