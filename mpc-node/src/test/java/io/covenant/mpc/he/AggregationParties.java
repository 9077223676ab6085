package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Test set-up: a consumer, n owners and an aggregator, each on its own thread with its own evaluator (in-process
 * parties), joined by peer links; the "ledger" is the owners' returned digests.
 */
final class AggregationParties {
  private AggregationParties() {}

  static final OrgId CONSUMER = OrgId.of("insurer-b");
  static final OrgId AGGREGATOR = OrgId.of("coordinator");

  record Run(AggregationConsumer.Total total, EncryptedTotal encrypted, Map<OrgId, EncryptedContribution> contributions) {}

  /**
   * Runs one aggregation. {@code ownerToAggregator} may wrap an owner's link to the aggregator (to tamper with it).
   */
  static Run run(AggregationConsumer consumer, List<OrgId> owners, List<HeEvaluator> ownerEvaluators, HeEvaluator aggregatorEvaluator, List<Object> vectors,
      BiFunction<OrgId, PeerLink, PeerLink> ownerToAggregator) throws Exception {
    List<OrgId> all = new ArrayList<>(owners);
    all.add(CONSUMER);
    all.add(AGGREGATOR);
    Map<OrgId, Map<OrgId, PeerLink>> mesh = InProcessLinks.mesh(all, Duration.ofSeconds(60));
    Map<OrgId, CompletableFuture<EncryptedContribution>> owned = new LinkedHashMap<>();
    try {
      for (int i = 0; i < owners.size(); i++) {
        OrgId o = owners.get(i);
        AggregationContributor c = new AggregationContributor(ownerEvaluators.get(i), o);
        Object v = vectors.get(i);
        owned.put(o, CompletableFuture.supplyAsync(() -> c.run(mesh.get(o).get(CONSUMER), ownerToAggregator.apply(o, mesh.get(o).get(AGGREGATOR)), v)));
      }
      java.util.function.Supplier<Map<OrgId, Digest>> ledger = () -> {
        Map<OrgId, Digest> m = new LinkedHashMap<>();
        owned.forEach((o, f) -> m.put(o, f.join().digest()));
        return m;
      };
      List<PeerLink> fromOwners = owners.stream().map(o -> mesh.get(AGGREGATOR).get(o)).toList();
      CompletableFuture<EncryptedTotal> aggregated = CompletableFuture.supplyAsync(
          () -> new EncryptedAggregator(aggregatorEvaluator).run(mesh.get(AGGREGATOR).get(CONSUMER), fromOwners, ledger));
      // A failed aggregator leaves, as a node would: the consumer then learns it at once instead of at its timeout.
      aggregated.whenComplete((t, failure) -> {
        if (failure != null) mesh.get(AGGREGATOR).values().forEach(PeerLink::close);
      });
      List<PeerLink> toOwners = owners.stream().map(o -> mesh.get(CONSUMER).get(o)).toList();
      AggregationConsumer.Total total;
      try {
        total = consumer.run(toOwners, mesh.get(CONSUMER).get(AGGREGATOR), ledger);
      } catch (RuntimeException e) {
        // the aggregator's own refusal is the cause the test looks for, when there is one
        if (aggregated.isCompletedExceptionally() || waitDone(aggregated)) {
          try {
            aggregated.join();
          } catch (java.util.concurrent.CompletionException ce) {
            if (ce.getCause() instanceof RuntimeException r) throw r;
          }
        }
        throw e;
      }
      Map<OrgId, EncryptedContribution> contributions = new LinkedHashMap<>();
      owned.forEach((o, f) -> contributions.put(o, f.join()));
      return new Run(total, aggregated.get(), contributions);
    } finally {
      mesh.values().forEach(m -> m.values().forEach(PeerLink::close));
    }
  }

  private static boolean waitDone(CompletableFuture<?> f) {
    try {
      f.get(5, java.util.concurrent.TimeUnit.SECONDS);
      return true;
    } catch (Exception e) {
      return f.isDone();
    }
  }
}
