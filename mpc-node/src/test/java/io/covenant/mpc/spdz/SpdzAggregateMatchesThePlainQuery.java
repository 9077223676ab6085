package io.covenant.mpc.spdz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.policy.OutputControls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The malicious-secure route (SPDZ with MASCOT preprocessing) of a statistics query, between three owners and the
 * consumer, against the same arithmetic done in the clear: the consumer alone receives the kept flag and the
 * measurements, equal to the plain ones (negative sums included, as noise makes them); the owners receive nothing.
 */
class SpdzAggregateMatchesThePlainQuery {
  static final String SQL = "SELECT COUNT(*) AS n, SUM(claim_cost) AS total, AVG(claim_cost) AS mean FROM claims";
  static final List<OrgId> PARTIES = List.of(SpdzParties.A, SpdzParties.B, SpdzParties.INSURER);
  static final List<OrgId> OWNERS = List.of(SpdzParties.A, SpdzParties.B);

  @Test
  void theConsumerAloneReceivesThePlainReleasedValues() {
    SecureAggregateQuery query = SecureAggregateQuery.compile(SQL, OutputControls.cohortOnly(5));
    int g = query.groups();
    int length = (query.measurements().size() + 1) * g;
    Map<OrgId, long[]> contributions = Map.of(SpdzParties.A, contribution(length, g, 1), SpdzParties.B, contribution(length, g, 2));
    var outcomes = SpdzParties.run(PARTIES, (p, links) -> links, networks -> SpdzAggregateProgram.run(networks, OWNERS,
        SpdzParties.INSURER, query, contributions.get(networks.party(networks.selfId())), Duration.ofMinutes(10)));
    long[] total = new long[length];
    for (long[] c : contributions.values()) for (int i = 0; i < length; i++) total[i] += c[i];
    int measured = query.measurements().size() * g;
    long[] expected = new long[length];
    for (int i = 0; i < g; i++) expected[i] = total[i] > 4 && total[measured + i] > 0 ? 1 : 0;
    for (int i = 0; i < measured; i++) expected[g + i] = expected[i % g] * total[i];
    for (var o : outcomes) {
      assertNull(o.failure(), o.party() + " failed: " + o.failure());
      if (o.party().equals(SpdzParties.INSURER)) assertArrayEquals(expected, o.value().released().orElseThrow());
      else assertEquals(Optional.empty(), o.value().released(), o.party() + " must learn nothing");
      assertTrue(o.value().triples() > 0, "MASCOT made the triples: " + o.value());
    }
    assertEquals(1, expected[0], "the one group is kept");
    assertTrue(java.util.Arrays.stream(expected, g, length).anyMatch(v -> v < 0), "a negative sum checks the signed conversion");
  }

  /** Per group: noisy row counts, then the other measurements (negative ones too, as noise makes them), then exact counts. */
  static long[] contribution(int length, int g, int owner) {
    java.util.Random r = new java.util.Random(owner);
    long[] c = new long[length];
    for (int i = 0; i < length - g; i++) c[i] = r.nextInt(2_000_000) - 1_500_000L * owner;
    for (int i = 0; i < g; i++) {
      long exact = 20 + r.nextInt(40);
      c[length - g + i] = exact;
      c[i] = exact + (r.nextInt(3) - 1);
    }
    return c;
  }
}
