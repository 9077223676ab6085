package io.covenant.mpc.fl.privacy;

import io.covenant.core.error.MalformedInputException;

/**
 * What an owner still allows its data to spend on this job: the epsilon left in its policy's budget and the δ at which
 * it is counted. The owner's node holds it; the aggregator never sees it.
 */
public record PrivacyBudget(double remainingEpsilon, double delta) {
  public PrivacyBudget {
    if (!(remainingEpsilon >= 0)) throw new MalformedInputException("the remaining epsilon is 0 or more; got " + remainingEpsilon);
    if (!(delta > 0 && delta < 1)) throw new MalformedInputException("the budget's δ is strictly between 0 and 1; got " + delta);
  }

  /** No limit: for jobs without differential privacy, or owners whose policy sets no budget. */
  public static PrivacyBudget unlimited() {
    return new PrivacyBudget(Double.POSITIVE_INFINITY, 1e-6);
  }
}
