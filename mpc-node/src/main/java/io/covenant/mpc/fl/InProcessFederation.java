package io.covenant.mpc.fl;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A federated job with every party in this JVM, each on its own thread, joined by {@link InProcessLinks}: in-process
 * parties, for tests, benchmarks and demos that say so. The programs are the same ones a hospital's and the
 * aggregator's nodes run.
 */
public final class InProcessFederation {
  private final FlJobSpec spec;
  private final FlRoster roster;
  private final List<LabelledData> data;
  private final List<PrivacyBudget> budgets;
  private Duration peerTimeout = Duration.ofSeconds(60);
  private BiFunction<OrgId, PeerLink, PeerLink> hospitalLinks = (h, l) -> l;
  private Consumer<FlRoundRecord> onRound = r -> {};
  private Function<OrgId, SecureRandom> randomness = h -> new SecureRandom();

  /** The outcome of every party: the aggregator's result, and each hospital's outcome or the error that stopped it. */
  public record Run(FlJobResult result, Map<OrgId, HospitalOutcome> outcomes, Map<OrgId, CovenantException> failures) {}

  public InProcessFederation(FlJobSpec spec, FlRoster roster, List<LabelledData> data, List<PrivacyBudget> budgets) {
    if (data.size() != roster.size() || budgets.size() != roster.size()) {
      throw new MalformedInputException(roster.size() + " hospitals need as many datasets and budgets; got " + data.size() + " and " + budgets.size());
    }
    this.spec = spec;
    this.roster = roster;
    this.data = List.copyOf(data);
    this.budgets = List.copyOf(budgets);
  }

  public InProcessFederation peerTimeout(Duration timeout) {
    this.peerTimeout = timeout;
    return this;
  }

  /** Wraps each hospital's end of its link, e.g. to make a hospital drop out at a chosen step in a test. */
  public InProcessFederation hospitalLinks(BiFunction<OrgId, PeerLink, PeerLink> wrap) {
    this.hospitalLinks = wrap;
    return this;
  }

  public InProcessFederation onRound(Consumer<FlRoundRecord> listener) {
    this.onRound = listener;
    return this;
  }

  /** Each hospital's source of randomness; for reproducible tests. */
  InProcessFederation randomness(Function<OrgId, SecureRandom> source) {
    this.randomness = source;
    return this;
  }

  public Run run() {
    Map<OrgId, PeerLink> aggregatorEnds = new LinkedHashMap<>();
    List<PeerLink> hospitalEnds = new ArrayList<>();
    for (OrgId h : roster.hospitals()) {
      InProcessLinks.Pair p = InProcessLinks.pair(roster.aggregator(), h, peerTimeout);
      aggregatorEnds.put(h, p.first());
      hospitalEnds.add(hospitalLinks.apply(h, p.second()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(roster.size(), r -> {
      Thread t = new Thread(r, "fl-hospital");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<HospitalOutcome>> futures = new ArrayList<>();
      for (int i = 0; i < roster.size(); i++) {
        OrgId h = roster.hospitals().get(i);
        HospitalProgram program = new HospitalProgram(spec, roster, hospitalEnds.get(i), data.get(i), budgets.get(i), randomness.apply(h));
        futures.add(pool.submit(() -> {
          try {
            return program.run();
          } finally {
            program.close();
          }
        }));
      }
      FlJobResult result;
      try {
        result = new AggregatorProgram(spec, roster, aggregatorEnds, data.getFirst().featureCount()).onRound(onRound).run();
      } finally {
        aggregatorEnds.values().forEach(PeerLink::close);
      }
      Map<OrgId, HospitalOutcome> outcomes = new LinkedHashMap<>();
      Map<OrgId, CovenantException> failures = new LinkedHashMap<>();
      for (int i = 0; i < roster.size(); i++) {
        OrgId h = roster.hospitals().get(i);
        try {
          outcomes.put(h, futures.get(i).get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof CovenantException ce) failures.put(h, ce);
          else throw new IllegalStateException(h + "'s program failed unexpectedly", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new CovenantException("interrupted while waiting for " + h + "'s program");
        }
      }
      return new Run(result, outcomes, failures);
    } finally {
      pool.shutdownNow();
    }
  }
}
