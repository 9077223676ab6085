package io.covenant.mpc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.engine.ThreePartyRuntime;
import io.covenant.mpc.transport.Committee;
import io.covenant.policy.OutputControls;
import io.covenant.policy.Policy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * The multi-party route of an aggregate query against the same query computed in the clear over the three owners'
 * pooled rows: without a privacy budget, every released group, count, sum and mean is the plain one (sums to the
 * engine's millionth), small groups are withheld exactly where the plain count is below the cohort, and the consumer
 * opens the result only from all three parties' sealed shares.
 */
class SecretSharedAggregateMatchesAPlainComputation {
  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"), OrgId.of("hospital-c"));
  static final String SQL = """
      SELECT icd10_chapter(diagnosis) AS chapter, age_band(age) AS band, COUNT(*) AS n, COUNT(claim_cost) AS costed,
             SUM(claim_cost) AS total, AVG(claim_cost) AS mean
      FROM claims GROUP BY icd10_chapter(diagnosis), age_band(age) ORDER BY chapter DESC, band""";

  @Test
  void exactReleaseEqualsThePooledPlainQuery() {
    List<List<ClaimsBatches.Claim>> owners = List.of(ClaimsBatches.random(1, 900), ClaimsBatches.random(2, 700), ClaimsBatches.random(3, 1100));
    SecureAggregateQuery query = SecureAggregateQuery.compile(SQL, OutputControls.cohortOnly(5));
    OpenedTable table = runAndOpen(query, owners);

    // The plain computation, written independently of the engine: group the pooled rows, drop groups under 5.
    Map<List<String>, long[]> counts = new TreeMap<>((a, b) -> {
      int c = a.get(0) == null || b.get(0) == null ? compareNullsLast(a.get(0), b.get(0)) : b.get(0).compareTo(a.get(0)); // DESC, nulls last
      return c != 0 ? c : compareNullsLast(a.get(1), b.get(1));
    });
    Map<List<String>, BigDecimal> sums = new java.util.HashMap<>();
    for (List<ClaimsBatches.Claim> rows : owners) {
      for (ClaimsBatches.Claim c : rows) {
        List<String> key = java.util.Arrays.asList(GroupKeyFunction.ICD10_CHAPTER.apply(c.diagnosis()), GroupKeyFunction.AGE_BAND.apply(c.age()));
        long[] n = counts.computeIfAbsent(key, k -> new long[2]);
        n[0]++;
        if (c.cost() != null) {
          n[1]++;
          sums.merge(key, BigDecimal.valueOf(c.cost()).setScale(6, RoundingMode.HALF_EVEN), BigDecimal::add);
        }
      }
    }
    List<List<Object>> expected = new ArrayList<>();
    for (var e : counts.entrySet()) {
      if (e.getValue()[0] < 5) continue;
      BigDecimal sum = sums.getOrDefault(e.getKey(), BigDecimal.ZERO);
      expected.add(java.util.Arrays.asList(e.getKey().get(0), e.getKey().get(1), e.getValue()[0], e.getValue()[1], sum,
          e.getValue()[1] == 0 ? null : sum.divide(BigDecimal.valueOf(e.getValue()[1]), java.math.MathContext.DECIMAL64).doubleValue()));
    }
    assertEquals(List.of("chapter", "band", "n", "costed", "total", "mean"), table.columns());
    assertEquals(expected.size(), table.rows().size(), "released groups");
    assertTrue(expected.size() > 20, "the test data should have many groups, got " + expected.size());
    for (int i = 0; i < expected.size(); i++) {
      List<Object> want = expected.get(i);
      List<Object> got = table.rows().get(i);
      assertEquals(want.subList(0, 4), got.subList(0, 4), "row " + i);
      assertEquals(0, ((BigDecimal) want.get(4)).compareTo((BigDecimal) got.get(4)), "sum of row " + i + ": " + want + " vs " + got);
      if (want.get(5) == null) assertEquals(null, got.get(5));
      else assertEquals((double) want.get(5), (double) got.get(5), 1e-6 * Math.max(1, Math.abs((double) want.get(5))), "mean of row " + i);
    }
  }

  @Test
  void noisyReleaseKeepsOnlyGroupsThatHoldRows() {
    // Under a budget the counts are noised (three parties' samples each); a group with no row is never released, even
    // when noise would lift its count over the cohort, exactly as the enclave releases only groups in the data.
    List<List<ClaimsBatches.Claim>> owners = List.of(ClaimsBatches.random(4, 300), ClaimsBatches.random(5, 300), ClaimsBatches.random(6, 300));
    OutputControls controls = new OutputControls(2, Optional.of(new OutputControls.Privacy(new BigDecimal("0.05"),
        Map.of("claim_cost", new Policy.Bounds(BigDecimal.ZERO, BigDecimal.valueOf(60_000))))));
    SecureAggregateQuery query = SecureAggregateQuery.compile(SQL, controls);
    java.util.Set<List<String>> present = new java.util.HashSet<>();
    for (List<ClaimsBatches.Claim> rows : owners) {
      for (ClaimsBatches.Claim c : rows) present.add(java.util.Arrays.asList(GroupKeyFunction.ICD10_CHAPTER.apply(c.diagnosis()), GroupKeyFunction.AGE_BAND.apply(c.age())));
    }
    OpenedTable table = runAndOpen(query, owners);
    assertTrue(table.rows().size() > 10, "a low epsilon with cohort 2 still releases groups: " + table.rows().size());
    for (List<Object> row : table.rows()) {
      assertTrue(present.contains(java.util.Arrays.asList((String) row.get(0), (String) row.get(1))), "released a group with no row: " + row);
    }
  }

  private static OpenedTable runAndOpen(SecureAggregateQuery query, List<List<ClaimsBatches.Claim>> owners) {
    HpkeKeyPair consumer = HpkeKeyPair.generate();
    JobId job = JobId.random();
    byte[] bundle = SealedShares.bundle(job, sealedParts(query, owners, job, consumer));
    return SealedShares.openTable(bundle, consumer, job, new Computation.SqlQuery(query.sql()).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  /** The three parties' sealed parts of a run of {@code query} over the owners' rows, in seat order. */
  static List<byte[]> sealedParts(SecureAggregateQuery query, List<List<ClaimsBatches.Claim>> owners, JobId job, HpkeKeyPair consumer) {
    KeyEncryptionKey kek = KeyEncryptionKey.generate();
    List<byte[]> parts = ThreePartyRuntime.inProcess(COMMITTEE, Duration.ofSeconds(30)).run((PartySession session) -> {
      OwnerPartials partials = new OwnerPartials(query, Optional.empty(), kek.subjectKey(DatasetId.parse(COMMITTEE.member(session.self()) + "/claims")));
      try (RootAllocator allocator = new RootAllocator(); VectorSchemaRoot batch = ClaimsBatches.batch(allocator, owners.get(session.self().index()))) {
        partials.add(batch, "test");
      }
      long[] contribution = SecureAggregateProgram.contribution(query, partials.totals(), query.noise(new SecureRandom()));
      return SealedShares.seal(job, COMMITTEE, session.self(), query.layout(), SecureAggregateProgram.run(session, query, contribution), consumer.publicKey());
    });
    return parts;
  }

  private static int compareNullsLast(String a, String b) {
    if (a == null) return b == null ? 0 : 1;
    if (b == null) return -1;
    return a.compareTo(b);
  }
}
