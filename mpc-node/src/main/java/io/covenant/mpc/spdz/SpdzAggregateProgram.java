package io.covenant.mpc.spdz;

import dk.alexandra.fresco.framework.Application;
import dk.alexandra.fresco.framework.DRes;
import dk.alexandra.fresco.framework.MaliciousException;
import dk.alexandra.fresco.framework.builder.numeric.ProtocolBuilderNumeric;
import dk.alexandra.fresco.framework.sce.SecureComputationEngineImpl;
import dk.alexandra.fresco.framework.sce.evaluator.BatchedProtocolEvaluator;
import dk.alexandra.fresco.framework.sce.evaluator.BatchedStrategy;
import dk.alexandra.fresco.framework.value.SInt;
import dk.alexandra.fresco.lib.common.compare.Comparison;
import dk.alexandra.fresco.suite.spdz.SpdzProtocolSuite;
import dk.alexandra.fresco.suite.spdz.SpdzResourcePool;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.sql.MpcQueryRefusedException;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.mpc.transport.PeerLinkException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link SecureAggregateQuery} (count, sum and mean per group) in SPDZ (Damgård, Pastro, Smart, Zakarias, CRYPTO
 * 2012) with MASCOT preprocessing (Keller, Orsini, Scholl, CCS 2016): secure against any number of parties but one
 * deviating arbitrarily, with abort. The same computation as the semi-honest {@code SecureAggregateProgram}, step for
 * step: every input owner's node inputs its contribution (its partial aggregates plus its own noise, then its exact
 * row counts; k·G + G values), the parties add the contributions, keep a group when its exact count is above 0 and its
 * noisy count above minCohort − 1 (two comparisons per group, FRESCO's Catrina–de Hoogh {@code LessThanZero}), zero
 * every measurement of a withheld group (one multiplication per value), and open the kept flags and the masked
 * measurements toward the consumer's party only (SPDZ private output through an input mask the consumer holds).
 * SPDZ's MAC check of every value opened so far runs before any output is opened and again at the end; a failed check
 * aborts with {@link MaliciousPartyException} and nothing is returned.
 *
 * <p>Cost: MASCOT's base OTs (256 Naor–Pinkas OTs per ordered pair of parties), then per value input one input mask
 * and two broadcast rounds, per comparison of 64-bit values about 64 random bits and a logarithmic number of rounds,
 * per product one triple and one opening of two field elements (16 bytes each) per party; the online rounds do not
 * grow with G (the steps are vectorised), MASCOT's preprocessing does, linearly.
 *
 * <p><b>Small computations only.</b> FRESCO's MASCOT makes tens of authenticated triples per second per party in
 * Java (a group costs two comparisons, about 120 triples and 150 random bits, and the base OTs cost seconds per job), so
 * a job is refused unless it has at most {@value #MAX_GROUPS} groups and {@value #MAX_VALUES} values per owner
 * ((k + 1)·G): a global count / sum / mean, or a few groups. The demo's 253-group table stays on the semi-honest
 * engine (see docs/threat-model.md).
 */
public final class SpdzAggregateProgram {
  /** Largest number of groups (G) the malicious-secure mode computes. */
  public static final int MAX_GROUPS = 4;
  /** Largest number of values an owner inputs ((k + 1)·G). */
  public static final int MAX_VALUES = 32;

  private SpdzAggregateProgram() {}

  /**
   * One party's outcome: at the consumer's party the released values (kept flags, then masked measurements), and the
   * MASCOT preprocessing this party consumed and the bytes it sent (every channel, base OTs included).
   */
  public record Outcome(Optional<long[]> released, long triples, long randomBits, long inputMasks, long bytesSent) {}

  /** Refuses a query bigger than the malicious-secure mode's limits, naming the limit. */
  public static void requireSmall(SecureAggregateQuery query) {
    int g = query.groups();
    int values = (query.measurements().size() + 1) * g;
    if (g > MAX_GROUPS || values > MAX_VALUES) {
      throw new MpcQueryRefusedException("the malicious-secure mode (SPDZ with MASCOT preprocessing) runs small computations only: at most "
          + MAX_GROUPS + " groups and " + MAX_VALUES + " secret-shared values per owner, and this query has " + g + " groups and " + values
          + " values. Group by fewer keys or coarser buckets, or run it with security semi-honest");
    }
  }

  /**
   * Runs this party's side. Every party calls it with the same arguments but {@code ownContribution} (null for a party
   * that inputs nothing, such as the consumer's node).
   *
   * @param owners the parties that input a contribution, in the same order at every party
   * @param consumer the party toward which the result is opened
   * @return at the consumer's party, the kept flags (G) then the masked measurements (k·G); elsewhere nothing; and what
   *     this party consumed and sent
   * @throws MaliciousPartyException when a share, MAC or opened value does not check; nothing is opened then
   */
  public static Outcome run(LinkNetworks networks, List<OrgId> owners, OrgId consumer, SecureAggregateQuery query, long[] ownContribution,
      Duration timeout) {
    requireSmall(query);
    OrgId self = networks.party(networks.selfId());
    int g = query.groups();
    int measured = query.measurements().size() * g;
    int length = measured + g;
    boolean owner = owners.contains(self);
    if (owner && (ownContribution == null || ownContribution.length != length)) {
      throw new MalformedInputException(self + " has a contribution of " + (ownContribution == null ? "no" : ownContribution.length)
          + " values; the query needs " + length);
    }
    int consumerId = networks.parties().indexOf(consumer) + 1;
    if (consumerId == 0) throw new MalformedInputException("the consumer " + consumer + " is not one of the parties " + networks.parties());
    List<Integer> ownerIds = new ArrayList<>();
    for (OrgId o : owners) {
      int id = networks.parties().indexOf(o) + 1;
      if (id == 0) throw new MalformedInputException("owner " + o + " is not one of the parties " + networks.parties());
      ownerIds.add(id);
    }
    long minCohort = query.controls().minCohort();
    Application<List<BigInteger>, ProtocolBuilderNumeric> program = root -> root.par(par -> {
      List<List<DRes<SInt>>> inputs = new ArrayList<>();
      for (int id : ownerIds) {
        List<DRes<SInt>> one = new ArrayList<>();
        for (int i = 0; i < length; i++) {
          one.add(par.numeric().input(id == networks.selfId() ? BigInteger.valueOf(ownContribution[i]) : null, id));
        }
        inputs.add(one);
      }
      return () -> inputs;
    }).par((par, inputs) -> {
      List<DRes<SInt>> total = new ArrayList<>(inputs.get(0));
      for (int p = 1; p < inputs.size(); p++) {
        for (int i = 0; i < length; i++) total.set(i, par.numeric().add(total.get(i), inputs.get(p).get(i)));
      }
      return () -> total;
    }).par((par, total) -> {
      // A group is kept when its noisy row count exceeds minCohort − 1 and its exact row count exceeds 0.
      List<DRes<SInt>> above = new ArrayList<>();
      for (int i = 0; i < g; i++) above.add(Comparison.using(par).compareLT(par.numeric().known(minCohort - 1), total.get(i)));
      for (int i = 0; i < g; i++) above.add(Comparison.using(par).compareLT(par.numeric().known(0), total.get(measured + i)));
      List<DRes<SInt>> both = new ArrayList<>(above);
      both.addAll(total);
      return () -> both;
    }).par((par, both) -> {
      List<DRes<SInt>> kept = new ArrayList<>();
      for (int i = 0; i < g; i++) kept.add(par.numeric().mult(both.get(i), both.get(g + i)));
      List<DRes<SInt>> keptAndTotal = new ArrayList<>(kept);
      keptAndTotal.addAll(both.subList(2 * g, both.size()));
      return () -> keptAndTotal;
    }).par((par, keptAndTotal) -> {
      List<DRes<SInt>> released = new ArrayList<>(keptAndTotal.subList(0, g));
      for (int i = 0; i < measured; i++) released.add(par.numeric().mult(keptAndTotal.get(i % g), keptAndTotal.get(g + i)));
      return () -> released;
    }).par((par, released) -> {
      List<DRes<BigInteger>> opened = new ArrayList<>();
      for (DRes<SInt> r : released) opened.add(par.numeric().open(r, consumerId));
      return () -> opened.stream().map(DRes::out).toList();
    });
    SpdzProtocolSuite suite = new SpdzProtocolSuite(MascotPreprocessing.MAX_BIT_LENGTH);
    SecureComputationEngineImpl<SpdzResourcePool, ProtocolBuilderNumeric> engine =
        new SecureComputationEngineImpl<>(suite, new BatchedProtocolEvaluator<>(new BatchedStrategy<SpdzResourcePool>(), suite));
    List<OrgId> others = networks.parties().stream().filter(p -> !p.equals(self)).toList();
    try {
      PreprocessingUse[] use = new PreprocessingUse[1];
      SpdzResourcePool pool = MascotPreprocessing.resourcePool(networks, use);
      List<BigInteger> out = engine.runApplication(program, pool, networks.channel(LinkNetworks.ONLINE), timeout);
      Optional<long[]> released = Optional.empty();
      if (networks.selfId() == consumerId) {
        BigInteger modulus = pool.getModulus();
        long[] values = new long[length];
        for (int i = 0; i < length; i++) values[i] = signed(out.get(i), modulus).longValueExact();
        released = Optional.of(values);
      }
      return new Outcome(released, use[0].triples, use[0].bits, use[0].masks, networks.bytesSent());
    } catch (RuntimeException e) {
      throw explain(self, others, e);
    } finally {
      engine.close();
    }
  }

  private static BigInteger signed(BigInteger v, BigInteger modulus) {
    BigInteger r = v.mod(modulus);
    return r.compareTo(modulus.shiftRight(1)) > 0 ? r.subtract(modulus) : r;
  }

  /** FRESCO wraps failures of its evaluation thread; find the cause that says what happened. */
  private static RuntimeException explain(OrgId self, List<OrgId> others, RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MaliciousException m) return new MaliciousPartyException(self, others, checkName(m.getMessage()), m);
      if (t instanceof PeerLinkException p) return p;
      if (t instanceof CovenantException c) return c;
    }
    return new CovenantException(self + "'s node could not finish the malicious-secure computation: " + e.getMessage(), e);
  }

  private static String checkName(String frescoMessage) {
    String m = frescoMessage == null ? "" : frescoMessage;
    if (m.toLowerCase(java.util.Locale.ROOT).contains("mac")) return "SPDZ's MAC check failed (a share, a MAC or an opened value was altered)";
    if (m.toLowerCase(java.util.Locale.ROOT).contains("broadcast")) return "the broadcast check failed (a party sent different values to different parties)";
    return "SPDZ detected a deviation (" + m + ")";
  }
}
