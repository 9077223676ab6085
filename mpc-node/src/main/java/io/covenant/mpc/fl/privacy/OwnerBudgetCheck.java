package io.covenant.mpc.fl.privacy;

/**
 * The owner-side check before each round of DP-FedAvg: would one more contribution take this job's privacy spend
 * (composed over every round this owner has contributed to, by the {@link RdpAccountant}) over the owner's remaining
 * budget? Runs on the owner's node, before any of its data is touched for the round.
 */
public final class OwnerBudgetCheck {
  private final PrivacyBudget budget;
  private final double noiseMultiplier;
  private final RdpAccountant spent = new RdpAccountant();

  /** {@code noiseMultiplier} σ: per round the aggregate carries Gaussian noise of standard deviation σ·S. */
  public OwnerBudgetCheck(PrivacyBudget budget, double noiseMultiplier) {
    this.budget = budget;
    this.noiseMultiplier = noiseMultiplier;
  }

  /**
   * Decides on round {@code round}. Every hospital of the job takes part in every round (sampling rate 1: no
   * amplification by sampling is claimed).
   */
  public ContributionDecision decide(int round) {
    double after = spent.copy().compose(1.0, noiseMultiplier, 1).spent(budget.delta()).epsilon();
    if (after > budget.remainingEpsilon()) return new ContributionDecision.Refuse(round, after, budget.remainingEpsilon(), budget.delta());
    return new ContributionDecision.Contribute(after);
  }

  /** Debits one round, once the owner's node has sent its contribution. */
  public void recordContribution() {
    spent.compose(1.0, noiseMultiplier, 1);
  }

  public double epsilonSpent() {
    return spent.spent(budget.delta()).epsilon();
  }
}
