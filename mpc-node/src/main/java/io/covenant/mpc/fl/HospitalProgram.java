package io.covenant.mpc.fl;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.model.LocalTraining;
import io.covenant.mpc.fl.model.Model;
import io.covenant.mpc.fl.privacy.ContributionDecision;
import io.covenant.mpc.fl.privacy.DpFedAvgNoise;
import io.covenant.mpc.fl.privacy.OwnerBudgetCheck;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.fl.secagg.SecureAggregationAbortedException;
import io.covenant.mpc.fl.secagg.SecureAggregationClient;
import io.covenant.mpc.fl.wire.FrameReader;
import io.covenant.mpc.fl.wire.FrameWriter;
import io.covenant.mpc.fl.wire.MessageKind;
import io.covenant.mpc.transport.PeerLink;
import java.security.SecureRandom;

/**
 * A hospital's program in a federated job: what one hospital's node runs, with its own rows and its one link to the
 * aggregator. Each round it receives the global model, asks its owner's budget whether it may take part (under DP),
 * trains locally (FedAvg or FedProx), and sends its update: masked by secure aggregation, or in the clear if the job
 * says so. Its rows never leave it; nor, under secure aggregation, does its unmasked update.
 */
public final class HospitalProgram {
  private final FlJobSpec spec;
  private final FlRoster roster;
  private final PeerLink aggregator;
  private final LabelledData data;
  private final PrivacyBudget budget;
  private final SecureRandom random;

  public HospitalProgram(FlJobSpec spec, FlRoster roster, PeerLink toAggregator, LabelledData data, PrivacyBudget budget) {
    this(spec, roster, toAggregator, data, budget, new SecureRandom());
  }

  /** With a given source of randomness (key pairs, seeds, DP noise): for reproducible tests only. */
  HospitalProgram(FlJobSpec spec, FlRoster roster, PeerLink toAggregator, LabelledData data, PrivacyBudget budget, SecureRandom random) {
    if (!toAggregator.peer().equals(roster.aggregator())) {
      throw new MalformedInputException("the hospital's link goes to " + toAggregator.peer() + " but the job's aggregator is " + roster.aggregator());
    }
    roster.indexOf(toAggregator.self()); // refuses a hospital the job does not name
    this.spec = spec;
    this.roster = roster;
    this.aggregator = toAggregator;
    this.data = data;
    this.budget = budget;
    this.random = random;
  }

  /** Closes this hospital's link to the aggregator: the aggregator sees it leave. */
  public void close() {
    aggregator.close();
  }

  public OrgId self() {
    return aggregator.self();
  }

  public HospitalOutcome run() {
    Model model = spec.model().over(data.featureCount());
    UpdateEncoding encoding = new UpdateEncoding(model.parameterCount(), !spec.differentiallyPrivate());
    OwnerBudgetCheck owner = spec.differentiallyPrivate() ? new OwnerBudgetCheck(budget, spec.noiseMultiplier()) : null;
    int index = roster.indexOf(self());
    int threshold = spec.threshold(roster.size());
    int contributed = 0;
    int lastContributed = 0;
    while (true) {
      FrameReader m = FrameReader.open(aggregator.peer(), aggregator.receive(), MessageKind.ROUND_START, MessageKind.FINISH, MessageKind.ABORT);
      if (m.kind() == MessageKind.ABORT) {
        // The aggregator could not unmask a round this hospital had finished its part of: that round does not count.
        int abortedRound = m.getInt();
        m.getString();
        m.end();
        if (abortedRound == lastContributed && lastContributed > 0) contributed--;
        continue;
      }
      if (m.kind() == MessageKind.FINISH) {
        double[] finalModel = m.getDoubles();
        m.end();
        return new HospitalOutcome.Completed(contributed, finalModel, ModelDigest.ofModel(spec.suite(), finalModel), owner == null ? 0 : owner.epsilonSpent());
      }
      int round = m.getInt();
      double[] global = m.getDoubles();
      m.end();
      if (global.length != model.parameterCount()) {
        throw new MalformedInputException(aggregator.peer() + " sent a global model of " + global.length + " parameters for round " + round
            + " but " + self() + "'s " + spec.model() + " over " + data.featureCount() + " features has " + model.parameterCount()
            + ": the hospitals' datasets do not share one schema");
      }
      if (owner != null && owner.decide(round) instanceof ContributionDecision.Refuse refusal) {
        aggregator.send(FrameWriter.of(MessageKind.DECLINE, 64).putInt(round).putString(refusal.reason()).toBytes());
        return new HospitalOutcome.StoppedByBudget(contributed, refusal);
      }
      aggregator.send(FrameWriter.of(MessageKind.JOIN, 8).putInt(round).toBytes());

      UpdateEncoding.LocalMetrics metrics = encoding.carriesMetrics()
          ? UpdateEncoding.LocalMetrics.of(model.predict(global, data.features()), data.labels()) : null;
      long shuffleSeed = spec.seed() * 0x9E3779B97F4A7C15L + round * 1_000_003L + index;
      LocalTraining.Result local = LocalTraining.train(model, global, data, spec.localEpochs(), spec.batchSize(), spec.learningRate(),
          spec.proximalMu(), shuffleSeed);
      double[] update = local.parameters();
      for (int i = 0; i < update.length; i++) update[i] -= global[i];
      double weight;
      if (spec.differentiallyPrivate()) {
        weight = 1; // DP-FedAvg: equal weights, so a weight cannot reveal a row count
        DpFedAvgNoise.clip(update, spec.clippingNorm());
        DpFedAvgNoise.addNoiseShare(update, spec.noiseMultiplier(), spec.clippingNorm(), threshold, random);
      } else {
        if (spec.clippingNorm() > 0) DpFedAvgNoise.clip(update, spec.clippingNorm());
        weight = data.rows();
        for (int i = 0; i < update.length; i++) update[i] *= weight;
      }
      long[] vector = encoding.encode(update, weight, metrics);
      if (owner != null) owner.recordContribution(); // debited before anything leaves: a contribution may be summed even if we drop later
      if (spec.secureAggregation()) {
        try {
          new SecureAggregationClient(aggregator, roster.hospitals(), index, threshold, random).contribute(round, vector);
        } catch (SecureAggregationAbortedException e) {
          continue; // the round was called off (too few hospitals); the aggregator's next message says what follows
        }
      } else {
        aggregator.send(FrameWriter.of(MessageKind.PLAIN_UPDATE, 8 * vector.length + 8).putInt(round).putLongs(vector).toBytes());
      }
      contributed++;
      lastContributed = round;
    }
  }
}
