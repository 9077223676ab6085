package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.covenant.core.id.OrgId;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The curious aggregator holds only ciphertexts: after a whole aggregation its own sidecar holds no secret key (SEAL
 * was never asked to make one there), its program has no field that could hold a key, and nothing it is sent (the
 * consumer's aggregation keys, the contributions) has a component that is one.
 */
class AggregatorHoldsOnlyCiphertexts {
  private static SealSidecar consumerSide;
  private static SealSidecar ownersSide;
  private static SealSidecar aggregatorSide;

  @BeforeAll
  static void start() {
    consumerSide = Sidecars.start("insurer");
    ownersSide = Sidecars.start("hospitals");
    aggregatorSide = Sidecars.start("coordinator");
  }

  @AfterAll
  static void stop() {
    consumerSide.close();
    ownersSide.close();
    aggregatorSide.close();
  }

  @Test
  void theAggregatorsSidecarNeverHeldASecretKey() throws Exception {
    List<OrgId> owners = List.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"), OrgId.of("hospital-c"));
    List<Object> vectors = List.of(new Random(1).longs(64, 0, 9).toArray(), new Random(2).longs(64, 0, 9).toArray(), new Random(3).longs(64, 0, 9).toArray());
    try (AggregationConsumer consumer = new AggregationConsumer(consumerSide, HeParameters.BFV_AGGREGATE, 64, 3)) {
      AggregationParties.run(consumer, owners, List.of(ownersSide, ownersSide, ownersSide), aggregatorSide, vectors, (o, l) -> l);
      assertEquals(0, aggregatorSide.holdings().secretKeys());
      assertEquals(0, ownersSide.holdings().secretKeys(), "the owners hold no secret key either");
      assertEquals(1, consumerSide.holdings().secretKeys(), "the consumer's key, for contrast");
    }
  }

  @Test
  void noKeyTypeIsReachableFromTheAggregator() {
    for (Field f : EncryptedAggregator.class.getDeclaredFields()) assertFalse(isKey(f.getType()), "EncryptedAggregator." + f.getName() + " could hold a key");
    for (Class<?> sent : List.of(AggregationKeys.class, EncryptedContribution.class, EncryptedTotal.class, SealBytes.class)) {
      for (RecordComponent c : sent.getRecordComponents()) assertFalse(isKey(c.getType()), sent.getSimpleName() + "." + c.getName() + " could carry a key");
    }
    for (SealBytes.Kind k : SealBytes.Kind.values()) assertFalse(k.name().contains("SECRET"), "SEAL bytes never carry a secret key");
  }

  private static boolean isKey(Class<?> t) {
    return t == HeHandle.SecretKey.class || t == KeyPair.class || t == AggregationConsumer.class || t == ScoringConsumer.class;
  }
}
