package io.covenant.mpc.he;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;

/** Test set-up: an insurer and a data owner running their scoring programs on two threads (in-process parties). */
final class ScoringParties {
  private ScoringParties() {}

  static final OrgId INSURER = OrgId.of("insurer-b");
  static final OrgId OWNER = OrgId.of("carmaker-a");

  record Run(ScoringConsumer.Outcome consumer, EncryptedScores owner) {}

  static Run run(ScoringConsumer consumer, ScoringOwner owner, double[][] rows) throws Exception {
    return run(consumer, owner, rows, UnaryOperator.identity());
  }

  /** Runs both programs; {@code ownerSide} may wrap the owner's end of the link (to tamper with what it sends). */
  static Run run(ScoringConsumer consumer, ScoringOwner owner, double[][] rows, UnaryOperator<PeerLink> ownerSide) throws Exception {
    InProcessLinks.Pair link = InProcessLinks.pair(INSURER, OWNER, Duration.ofSeconds(60));
    CompletableFuture<EncryptedScores> ownerRecord = CompletableFuture.supplyAsync(() -> owner.run(ownerSide.apply(link.second()), rows, Optional.empty()));
    try {
      ScoringConsumer.Outcome out = consumer.run(link.first(), () -> ownerRecord.join().digest());
      return new Run(out, ownerRecord.get());
    } catch (RuntimeException e) {
      link.first().close();
      try {
        ownerRecord.get();
      } catch (ExecutionException ignored) {
        // the consumer's failure is the one under test
      }
      throw e;
    } finally {
      link.first().close();
      link.second().close();
    }
  }

  static double[][] rows(int n, int features, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][features];
    for (double[] row : x) for (int j = 0; j < features; j++) row[j] = r.nextGaussian();
    return x;
  }

  /** A model whose linear predictor stays within the sigmoid polynomial's [-8, 8] for Gaussian features. */
  static double[] weights(int features, long seed) {
    Random r = new Random(seed);
    double[] w = new double[features];
    for (int j = 0; j < features; j++) w[j] = r.nextGaussian() * 0.3;
    return w;
  }
}
