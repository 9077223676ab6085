package io.covenant.mpc.fl.secagg;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/** Runs one secure aggregation with in-process hospitals on threads, each link optionally wrapped. */
final class SecAggRun {
  static final OrgId AGGREGATOR = OrgId.of("aggregator");

  static List<OrgId> hospitals(int n) {
    List<OrgId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(OrgId.of("hospital-" + (char) ('a' + i)));
    return out;
  }

  /** A deterministic SecureRandom, so that a statistical test over it has one fixed outcome and cannot flake. */
  static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns the aggregator's sum, or throws what the aggregator threw; hospitals' own failures are ignored. */
  static SecureSum run(List<OrgId> roster, int threshold, List<long[]> inputs, BiFunction<OrgId, PeerLink, PeerLink> wrapHospital,
      BiFunction<OrgId, PeerLink, PeerLink> wrapAggregator) throws Exception {
    Map<OrgId, PeerLink> serverEnds = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(roster.size());
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int i = 0; i < roster.size(); i++) {
        OrgId h = roster.get(i);
        InProcessLinks.Pair p = InProcessLinks.pair(AGGREGATOR, h, Duration.ofSeconds(20));
        serverEnds.put(h, wrapAggregator.apply(h, p.first()));
        PeerLink mine = wrapHospital.apply(h, p.second());
        int index = i + 1;
        long[] x = inputs.get(i);
        clients.add(pool.submit(() -> {
          try {
            new SecureAggregationClient(mine, roster, index, threshold, seeded(1000 + index)).contribute(7, x);
          } catch (RuntimeException e) {
            // A hospital that was made to drop out fails here; the aggregator's view is what the tests check.
          }
          return null;
        }));
      }
      try {
        return new SecureAggregationServer(roster, threshold).aggregate(7, serverEnds, inputs.getFirst().length);
      } finally {
        serverEnds.values().forEach(PeerLink::close);
        for (Future<?> f : clients) f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
