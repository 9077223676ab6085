package io.covenant.mpc.he;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.OrgId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three hospitals encrypt their 4096-value aggregate vectors under the insurer's key; the aggregator adds them; the
 * insurer decrypts the total: exactly (BFV) or within the stated bound (CKKS). An auditor without any key recomputes
 * the total from the recorded inputs and gets the same bytes.
 */
class EncryptedTotalsEqualPlaintextSums {
  private static SealSidecar consumerSide;
  private static SealSidecar ownersSide;
  private static SealSidecar aggregatorSide;
  private static final List<OrgId> HOSPITALS = List.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"), OrgId.of("hospital-c"));

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
  void bfvTotalsAreExact() throws Exception {
    Random r = new Random(7);
    List<Object> vectors = new ArrayList<>();
    long[] expected = new long[4096];
    for (int i = 0; i < HOSPITALS.size(); i++) {
      long[] v = r.longs(4096, -50_000, 50_000).toArray();
      for (int k = 0; k < v.length; k++) expected[k] += v[k];
      vectors.add(v);
    }
    try (AggregationConsumer consumer = new AggregationConsumer(consumerSide, HeParameters.BFV_AGGREGATE, 4096, 10)) {
      AggregationParties.Run run = AggregationParties.run(consumer, HOSPITALS, List.of(ownersSide, ownersSide, ownersSide), aggregatorSide, vectors, (o, l) -> l);
      assertArrayEquals(expected, run.total().integers());
      assertEquals(0, run.total().precision().bound());
      assertEquals(HOSPITALS, run.encrypted().contributors());
      // The auditor: no key, only the recorded inputs.
      Map<OrgId, Digest> recorded = new LinkedHashMap<>();
      run.contributions().forEach((o, c) -> recorded.put(o, c.digest()));
      EncryptedTotal again = new EncryptedAggregator(aggregatorSide).aggregate(consumer.keys(), new ArrayList<>(run.contributions().values()), recorded);
      assertEquals(run.encrypted().digest(), again.digest());
    }
  }

  @Test
  void ckksTotalsAreWithinTheStatedBound() throws Exception {
    Random r = new Random(8);
    List<Object> vectors = new ArrayList<>();
    double[] expected = new double[4096];
    for (int i = 0; i < HOSPITALS.size(); i++) {
      double[] v = r.doubles(4096, -1e4, 1e4).toArray();
      for (int k = 0; k < v.length; k++) expected[k] += v[k];
      vectors.add(v);
    }
    try (AggregationConsumer consumer = new AggregationConsumer(consumerSide, HeParameters.CKKS_AGGREGATE, 4096, 10)) {
      AggregationParties.Run run = AggregationParties.run(consumer, HOSPITALS, List.of(ownersSide, ownersSide, ownersSide), aggregatorSide, vectors, (o, l) -> l);
      double max = 0;
      for (int k = 0; k < expected.length; k++) max = Math.max(max, Math.abs(run.total().reals()[k] - expected[k]));
      assertTrue(max <= run.total().precision().bound(), "error " + max + " above " + run.total().precision());
      assertTrue(max > 0, "CKKS is approximate");
      System.out.println("CKKS aggregate: max error " + max + "; " + run.total().precision());
    }
  }

  @Test
  void aVectorThatCouldWrapTheBfvModulusIsRefused() {
    try (AggregationConsumer consumer = new AggregationConsumer(consumerSide, HeParameters.BFV_AGGREGATE, 4, 10)) {
      long limit = AggregationContributor.bfvLimit(HeParameters.BFV_AGGREGATE, 10);
      var e = org.junit.jupiter.api.Assertions.assertThrows(io.covenant.core.error.MalformedInputException.class,
          () -> new AggregationContributor(ownersSide, HOSPITALS.get(0)).encrypt(consumer.keys(), new long[] {1, 2, limit + 1, 4}));
      assertTrue(e.getMessage().contains("wrapping"), e.getMessage());
    }
  }
}
