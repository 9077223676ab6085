package io.covenant.mpc.fl.privacy;

/** An owner node's answer to "may my data take part in the next round?", with the arithmetic behind it. */
public sealed interface ContributionDecision permits ContributionDecision.Contribute, ContributionDecision.Refuse {

  /** Take part: after this round the owner will have spent {@code epsilonAfterRound} of this job. */
  record Contribute(double epsilonAfterRound) implements ContributionDecision {}

  /** Do not take part: the round would take the job's spend to {@code epsilonIfContributed}, over what is left. */
  record Refuse(int round, double epsilonIfContributed, double remainingEpsilon, double delta) implements ContributionDecision {
    /** The sentence the owner's node sends to the aggregator and the job records. */
    public String reason() {
      return String.format(java.util.Locale.ROOT,
          "round %d would bring this owner's spend on the job to epsilon %.4f (delta %.0e), over the %.4f left in its privacy budget; "
              + "it contributes no more rounds (raise the budget in its policy, or run fewer rounds or more noise)",
          round, epsilonIfContributed, delta, remainingEpsilon);
    }
  }
}
