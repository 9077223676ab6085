package io.covenant.mpc.fl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.model.ModelKind;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.TestConsortium;
import io.covenant.mpc.transport.TlsPeerLinks;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Federated rounds with secure aggregation between the aggregator's node and three hospitals' nodes over mutual-TLS peer
 * links (one listener at the aggregator, each hospital dialling with its own certificate) produce the same global
 * model, bit for bit, as the in-process run: secure aggregation's sum is exact, whatever the masks.
 */
class FederatedRoundsOverMutualTlsMatchInProcess {
  private static final TestConsortium CONSORTIUM = TestConsortium.create("Federated learning over TLS");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void theGlobalModelOverTlsEqualsTheInProcessOne() throws Exception {
    FlRoster roster = FederatedAucMatchesPooledTraining.ROSTER;
    FlJobSpec spec = FlJobSpec.fedAvg(new ModelKind.LogisticRegression(), 4, 1, 0.1);
    List<LabelledData> data = FederatedAucMatchesPooledTraining.scenario().train();
    List<PrivacyBudget> budgets = Collections.nCopies(3, PrivacyBudget.unlimited());

    InProcessFederation.Run inProcess = new InProcessFederation(spec, roster, data, budgets).run();
    assertTrue(inProcess.failures().isEmpty(), "in-process failures: " + inProcess.failures());

    JobId job = JobId.random();
    ExecutorService threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
    try (TlsPeerLinks.Listener atAggregator = TlsPeerLinks.listen(CONSORTIUM.member(roster.aggregator()),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), TIMEOUT)) {
      CompletableFuture<Map<OrgId, PeerLink>> accepted =
          CompletableFuture.supplyAsync(() -> atAggregator.acceptAll(job, new HashSet<>(roster.hospitals())), threads);
      List<CompletableFuture<HospitalOutcome>> hospitals = new ArrayList<>();
      for (int i = 0; i < roster.size(); i++) {
        OrgId h = roster.hospitals().get(i);
        LabelledData rows = data.get(i);
        hospitals.add(CompletableFuture.supplyAsync(() -> {
          PeerLink link = TlsPeerLinks.connect(CONSORTIUM.member(h), atAggregator.address(), roster.aggregator(), job, TIMEOUT);
          HospitalProgram program = new HospitalProgram(spec, roster, link, rows, PrivacyBudget.unlimited());
          try {
            return program.run();
          } finally {
            program.close();
          }
        }, threads));
      }
      Map<OrgId, PeerLink> links = accepted.join();
      FlJobResult overTls;
      try {
        overTls = new AggregatorProgram(spec, roster, links, data.getFirst().featureCount()).run();
      } finally {
        links.values().forEach(PeerLink::close);
      }
      hospitals.forEach(CompletableFuture::join);

      assertTrue(overTls.stoppedEarly().isEmpty(), "stopped early: " + overTls.stoppedEarly());
      assertEquals(spec.rounds(), overTls.rounds().size());
      assertEquals(roster.hospitals(), overTls.rounds().getLast().participants());
      assertArrayEquals(inProcess.result().finalModel(), overTls.finalModel());
      assertEquals(inProcess.result().finalModelHash(), overTls.finalModelHash());
    } finally {
      threads.shutdownNow();
    }
  }
}
