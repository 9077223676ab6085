package io.covenant.mpc.spdz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.sql.MpcQueryRefusedException;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.policy.OutputControls;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The malicious-secure mode runs small computations only: a query over more groups or values than its limits is
 * refused before any party links or computes, with a message naming the limit and what to do instead; a global
 * aggregate fits.
 */
class OversizedMaliciousQueryIsRefusedNamingTheLimit {
  @Test
  void elevenAgeBandsAreRefusedBeforeAnythingIsSent() {
    SecureAggregateQuery query = SecureAggregateQuery.compile(
        "SELECT age_band(age) AS band, COUNT(*) AS n, SUM(claim_cost) AS total FROM claims GROUP BY age_band(age)", OutputControls.cohortOnly(5));
    MpcQueryRefusedException e = assertThrows(MpcQueryRefusedException.class, () -> SpdzAggregateProgram.requireSmall(query));
    assertTrue(e.getMessage().contains("at most " + SpdzAggregateProgram.MAX_GROUPS + " groups") && e.getMessage().contains("has 11 groups")
        && e.getMessage().contains("semi-honest"), e.getMessage());
    // run() refuses it too, before it touches the (here absent) links.
    var outcomes = SpdzParties.run(List.of(SpdzParties.A, SpdzParties.INSURER), (p, links) -> links, networks -> SpdzAggregateProgram.run(networks,
        List.of(SpdzParties.A), SpdzParties.INSURER, query, new long[3 * 11], Duration.ofSeconds(5)));
    for (var o : outcomes) assertTrue(o.failure() instanceof MpcQueryRefusedException, o.party() + ": " + o.failure());
  }

  @Test
  void aGlobalCountSumAndMeanFits() {
    SpdzAggregateProgram.requireSmall(SecureAggregateQuery.compile(
        "SELECT COUNT(*) AS n, SUM(claim_cost) AS total, AVG(claim_cost) AS mean FROM claims", OutputControls.cohortOnly(5)));
  }
}
