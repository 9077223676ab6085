package io.covenant.mpc.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.JobId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.engine.ThreePartyRuntime;
import io.covenant.mpc.protocol.SecureComparison;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import io.covenant.policy.OutputControls;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/**
 * What the semi-honest mode does not protect against, as a test of the documented property (docs/threat-model.md):
 * hospital-c's node deviates from the protocol and adds one million to its share of the claims' total just before
 * the last multiplication. The multiplication turns the two parties' disagreeing copies into fresh, consistent shares
 * of a wrong value, so the consumer's check that every share is held alike by two parties passes, and the consumer
 * opens a wrong total (the count, which hospital-c left alone, is right), with no error anywhere. The same deviation in the malicious mode is
 * caught by SPDZ's MAC check ({@code io.covenant.mpc.spdz.TamperedOpeningAbortsTheSpdzRun}).
 */
class TamperedShareGoesUndetectedUnderSemiHonest {
  static final String SQL = "SELECT COUNT(*) AS n, SUM(claim_cost) AS total FROM claims";
  static final long DELTA = 1_000_000L * 1_000_000L; // one million in the engine's integer scale (granularity 10^-6)

  @Test
  void aDeviatingPartyShiftsTheReleasedTotalAndNothingNoticesIt() {
    SecureAggregateQuery query = SecureAggregateQuery.compile(SQL, OutputControls.cohortOnly(3));
    List<List<ClaimsBatches.Claim>> owners = List.of(ClaimsBatches.random(11, 200), ClaimsBatches.random(12, 200), ClaimsBatches.random(13, 200));
    OpenedTable honest = run(query, owners, false);
    OpenedTable tampered = run(query, owners, true);
    assertEquals(honest.rows().getFirst().get(0), tampered.rows().getFirst().get(0), "the count is untouched");
    BigDecimal shift = ((BigDecimal) tampered.rows().getFirst().get(1)).subtract((BigDecimal) honest.rows().getFirst().get(1));
    // The shift is DELTA times the sum of hospital-c's two shares of the kept flag: wrong, and opened without complaint.
    assertNotEquals(0, shift.signum(), "the deviation changed the released total");
  }

  /** Runs the query and opens it as the consumer does (SealedShares checks that the two copies of every share agree). */
  private static OpenedTable run(SecureAggregateQuery query, List<List<ClaimsBatches.Claim>> owners, boolean hospitalCDeviates) {
    HpkeKeyPair consumer = HpkeKeyPair.generate();
    JobId job = JobId.random();
    KeyEncryptionKey kek = KeyEncryptionKey.generate();
    var committee = SecretSharedAggregateMatchesAPlainComputation.COMMITTEE;
    List<byte[]> parts = ThreePartyRuntime.inProcess(committee, Duration.ofSeconds(30)).run((PartySession session) -> {
      OwnerPartials partials = new OwnerPartials(query, Optional.empty(), kek.subjectKey(DatasetId.parse(committee.member(session.self()) + "/claims")));
      try (RootAllocator allocator = new RootAllocator(); VectorSchemaRoot batch = ClaimsBatches.batch(allocator, owners.get(session.self().index()))) {
        partials.add(batch, "test");
      }
      // No privacy budget, no noise: both runs release exact values, so they compare exactly.
      long[] contribution = SecureAggregateProgram.contribution(query, partials.totals(), new long[partials.totals().length]);
      ShareVector released = hospitalCDeviates && session.self() == Party.P2 ? deviating(session, query, contribution)
          : SecureAggregateProgram.run(session, query, contribution);
      return SealedShares.seal(job, committee, session.self(), query.layout(), released, consumer.publicKey());
    });
    return SealedShares.openTable(SealedShares.bundle(job, parts), consumer, job, new Computation.SqlQuery(SQL).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  /**
   * hospital-c's deviation: SecureAggregateProgram's steps, message for message, except that before the masking
   * multiplication it adds DELTA to its first share of the SUM measurement (the other parties see the same messages
   * they would see from an honest party).
   */
  private static ShareVector deviating(PartySession session, SecureAggregateQuery query, long[] own) {
    int g = query.groups();
    int measured = query.measurements().size() * g;
    int length = measured + g;
    ShareVector total = null;
    for (Party p : Party.all()) {
      ShareVector x = session.input(p, p.equals(session.self()) ? own : null);
      total = total == null ? x : session.add(total, x);
    }
    long[] thresholds = new long[2 * g];
    Arrays.fill(thresholds, 0, g, query.controls().minCohort() - 1L);
    ShareVector rows = ShareVector.concat(List.of(total.slice(0, g), total.slice(measured, length)));
    ShareVector above = SecureComparison.greaterThanPublic(rows, thresholds, session);
    ShareVector kept = session.multiply(above.slice(0, g), above.slice(g, 2 * g));
    long[] first = total.firstShare().clone();
    first[measured - 1] += DELTA; // the last measurement of the one group: SUM(claim_cost)
    ShareVector altered = ShareVector.of(total.holder(), first, total.secondShare());
    List<ShareVector> repeated = new ArrayList<>();
    for (int m = 0; m < query.measurements().size(); m++) repeated.add(kept);
    ShareVector masked = session.multiply(ShareVector.concat(repeated), altered.slice(0, measured));
    return ShareVector.concat(List.of(kept, masked));
  }
}
