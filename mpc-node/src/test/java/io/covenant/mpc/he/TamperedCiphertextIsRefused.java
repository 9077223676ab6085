package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.IntegrityException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.InProcessLinks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One bit changed in a ciphertext on the wire is caught by its SHA-256 against the ledger record: the consumer refuses
 * tampered scores, the owner a tampered model, the aggregator a tampered contribution. Without the digest checks the
 * flipped bit would decrypt to a silently wrong value (SEAL itself accepts the bytes).
 */
class TamperedCiphertextIsRefused {
  private static SealSidecar insurer;
  private static SealSidecar owner;

  @BeforeAll
  static void start() {
    insurer = Sidecars.start("insurer");
    owner = Sidecars.start("owner");
  }

  @AfterAll
  static void stop() {
    insurer.close();
    owner.close();
  }

  @Test
  void tamperedScoresAreRefusedByTheConsumer() {
    ScoringModel model = ScoringModel.logistic(new double[] {0.5, -0.5}, 0.1);
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      // The owner sends the scores header (frame 0) and one block (frame 1); frame 1 is tampered.
      IntegrityException e = assertThrows(IntegrityException.class,
          () -> ScoringParties.run(consumer, new ScoringOwner(owner, ScoringPolicy.noNoise(100)), ScoringParties.rows(10, 2, 1), l -> new TamperingLink(l, 1)));
      assertTrue(e.getMessage().contains("the ledger records") && e.getMessage().contains("modified"), e.getMessage());
    }
  }

  @Test
  void sealAloneWouldAcceptTheTamperedBytes() {
    ScoringModel model = ScoringModel.linear(new double[] {1}, 0);
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      EncryptedScores s = new ScoringOwner(owner, ScoringPolicy.noNoise(10)).score(consumer.encryptModel(), new double[][] {{1}});
      byte[] b = s.blocks().get(0).bytes();
      b[b.length - 100] ^= 0x04;
      HeContext ctx = insurer.context(HeParameters.CKKS_SCORING);
      insurer.release(insurer.loadCiphertext(ctx, new SealBytes(SealBytes.Kind.CIPHERTEXT, b))); // loads without complaint
      insurer.release(ctx);
    }
  }

  @Test
  void aTamperedModelIsRefusedByTheOwner() throws Exception {
    ScoringModel model = ScoringModel.linear(new double[] {1, 2}, 3);
    try (ScoringConsumer consumer = new ScoringConsumer(insurer, model)) {
      EncryptedModel sent = consumer.encryptModel();
      InProcessLinks.Pair link = InProcessLinks.pair(ScoringParties.INSURER, ScoringParties.OWNER, Duration.ofSeconds(30));
      // Frames: header, parameters, public key, then the weights; frame 3 is the first weight.
      CompletableFuture.runAsync(() -> HeWire.sendModel(new TamperingLink(link.first(), 3), sent)).get();
      IntegrityException e = assertThrows(IntegrityException.class,
          () -> new ScoringOwner(owner, ScoringPolicy.noNoise(10)).run(link.second(), new double[][] {{1, 1}}, Optional.of(sent.digest())));
      assertTrue(e.getMessage().contains("nothing was scored"), e.getMessage());
      link.first().close();
    }
  }

  @Test
  void aTamperedContributionIsRefusedByTheAggregator() {
    List<OrgId> owners = List.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"));
    List<Object> vectors = new ArrayList<>(List.of(new Random(1).longs(16, 0, 100).toArray(), new Random(2).longs(16, 0, 100).toArray()));
    try (AggregationConsumer consumer = new AggregationConsumer(insurer, HeParameters.BFV_AGGREGATE, 16, 2)) {
      IntegrityException e = assertThrows(IntegrityException.class, () -> AggregationParties.run(consumer, owners, List.of(owner, owner), owner, vectors,
          (o, l) -> o.equals(owners.get(1)) ? new TamperingLink(l, 1) : l));
      assertTrue(e.getMessage().contains("hospital-b") && e.getMessage().contains("modified on the way"), e.getMessage());
    }
  }
}
