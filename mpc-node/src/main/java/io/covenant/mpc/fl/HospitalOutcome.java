package io.covenant.mpc.fl;

import io.covenant.core.crypto.Digest;
import io.covenant.mpc.fl.privacy.ContributionDecision;

/** How a hospital's part in a federated job ended, as its own node sees it. */
public sealed interface HospitalOutcome permits HospitalOutcome.Completed, HospitalOutcome.StoppedByBudget {
  int roundsContributed();

  /** The job ran to the end; the hospital received the final model. */
  record Completed(int roundsContributed, double[] finalModel, Digest finalModelHash, double epsilonSpent) implements HospitalOutcome {
    public Completed {
      finalModel = finalModel.clone();
    }

    @Override
    public double[] finalModel() {
      return finalModel.clone();
    }
  }

  /** The hospital's node refused a round because it would exceed the owner's privacy budget, and said so. */
  record StoppedByBudget(int roundsContributed, ContributionDecision.Refuse refusal) implements HospitalOutcome {}
}
