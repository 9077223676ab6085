package io.covenant.policy;

import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;

/**
 * What a policy has already been used for, as counted by whoever keeps the durable record (the coordinator, from the
 * ledger). The evaluator does no I/O, so the caller supplies it.
 *
 * @param uses computations already authorised under the policy
 * @param epsilonSpent differential-privacy budget already spent under the policy
 */
public record UsageHistory(long uses, BigDecimal epsilonSpent) {
  /** No use yet. */
  public static final UsageHistory NONE = new UsageHistory(0, BigDecimal.ZERO);

  public UsageHistory {
    if (uses < 0) throw new MalformedInputException("a policy cannot have been used " + uses + " times");
    if (epsilonSpent == null || epsilonSpent.signum() < 0) throw new MalformedInputException("spent privacy budget must be 0 or more");
  }
}
