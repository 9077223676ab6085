package io.covenant.mpc.spdz;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Function;

/** Runs one function per party on its own thread over in-process links; {@code wrap} may replace a party's links (an attacker). */
final class SpdzParties {
  static final OrgId A = OrgId.of("hospital-a"), B = OrgId.of("hospital-b"), C = OrgId.of("hospital-c"), INSURER = OrgId.of("insurer");
  static final List<OrgId> PARTIES = List.of(A, B, C, INSURER);

  /** Each party's outcome: a value, or what it threw. */
  record Outcome<T>(OrgId party, T value, Throwable failure) {}

  static <T> List<Outcome<T>> run(List<OrgId> parties, BiFunction<OrgId, Map<OrgId, PeerLink>, Map<OrgId, PeerLink>> wrap,
      Function<LinkNetworks, T> program) {
    Map<OrgId, Map<OrgId, PeerLink>> mesh = InProcessLinks.mesh(parties, Duration.ofSeconds(60));
    ExecutorService pool = Executors.newFixedThreadPool(parties.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (OrgId p : parties) {
        Map<OrgId, PeerLink> links = wrap.apply(p, new HashMap<>(mesh.get(p)));
        futures.add(pool.submit(() -> {
          try (LinkNetworks networks = new LinkNetworks(parties, p, links)) {
            return program.apply(networks);
          }
        }));
      }
      List<Outcome<T>> out = new ArrayList<>();
      for (int i = 0; i < parties.size(); i++) {
        try {
          out.add(new Outcome<>(parties.get(i), futures.get(i).get(), null));
        } catch (ExecutionException e) {
          out.add(new Outcome<>(parties.get(i), null, e.getCause()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
