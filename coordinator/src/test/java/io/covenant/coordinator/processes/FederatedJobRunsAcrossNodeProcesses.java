package io.covenant.coordinator.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.FederatedDemo;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.codec.Json;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import java.math.BigDecimal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./covenant demo fl} with every organisation in its own process: the federated readmission model trained by
 * three hospital nodes (non-IID case mixes) with secure aggregation scores within 0.02 AUC of pooled training; under
 * DP, the hospital whose privacy budget is spent stops contributing, its node says why on the log, and the rounds name
 * it as declined; a hospital node killed mid-job is named as dropped and the remaining two finish the job (the sum of
 * the survivors' masked updates is exact: see the in-process {@code DropoutAfterMaskedInputStillYieldsTheExactSum});
 * and the log verifies after all of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederatedJobRunsAcrossNodeProcesses {
  private static final OrgId HOSPITAL_B = OrgId.of("hospital-b");
  private static final OrgId HOSPITAL_C = OrgId.of("hospital-c");
  private FederatedDemo demo;
  private FederatedDemo.Outcome outcome;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeAll
  void runTheDemo(@TempDir Path tmp) {
    demo = new FederatedDemo(new PrintStream(output, true, StandardCharsets.UTF_8));
    outcome = demo.run(tmp.resolve("demo"), 2500);
  }

  @AfterAll
  void stop() {
    if (outcome != null) outcome.close();
  }

  @Test
  @Order(1)
  void theFederatedModelScoresWithinTwoHundredthsOfPooledTrainingAndTheTrailVerifies() {
    String out = output.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Demo complete"), out);
    assertEquals(outcome.pooledAuc(), outcome.federatedAuc(), 0.02, out);
    assertTrue(outcome.pooledAuc() > 0.7, "the pooled model learned something: " + outcome.pooledAuc());
    assertTrue(outcome.audit().bool("ok"), out);
    // Each hospital decided on its own data in its own node and read only its own dataset.
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      String log = read(outcome.running().dir().resolve("logs/" + h.org().value() + ".log"));
      assertTrue(log.contains(h.org().value() + " federated job prepare for covenant-operator: done")
          && log.contains(h.org().value() + " federated job run for covenant-operator: done"), log);
    }
  }

  @Test
  @Order(2)
  void aHospitalWhoseBudgetIsSpentStopsContributingAndTheJobSaysWhy() {
    List<Json.JObject> rounds = outcome.dpRounds();
    assertEquals(FederatedDemo.ROUNDS, rounds.size());
    for (Json.JObject r : rounds) {
      boolean before = r.number("round") <= FederatedDemo.TIGHT_ROUNDS;
      assertEquals(before, r.strings("participants").contains(HOSPITAL_C.value()), r.encode());
      assertEquals(r.number("round") == FederatedDemo.TIGHT_ROUNDS + 1, r.strings("declined").contains(HOSPITAL_C.value()), r.encode());
    }
    String why = outcome.dpStopped().get("declined " + HOSPITAL_C.value());
    assertTrue(why != null && why.contains("over the") && why.contains("left in its privacy budget"), outcome.dpStopped().toString());
    // The owner's own statement, signed by hospital-c, on the insurer's verified copy of the log.
    Json.JObject trail = (Json.JObject) NodeDesk.ask(outcome.running().nodeDirs().get(HospitalInsurerDemo.INSURER), Json.obj("op", "trail", "job", outcome.dpJob()));
    assertTrue(trail.string("table").contains("KEY_RELEASE_REFUSED") && trail.string("table").contains("budget-exhausted"), trail.string("table"));
  }

  @Test
  @Order(3)
  void aNodeKilledMidJobIsNamedAsDroppedAndTheOthersFinish() {
    var nodes = outcome.running().nodeDirs();
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      NodeDesk.ask(nodes.get(h.org()), Json.obj("op", "publish-policy", "policy", FederatedDemo.policy(h.org(), Optional.empty(), "readmissions-fl-again")));
    }
    // An MLP with several local epochs, so that rounds take long enough for the node to be stopped while the job runs.
    int rounds = 100;
    Computation.FederatedTraining mlp = new Computation.FederatedTraining(Computation.FederatedTraining.MLP, 64, ReadmissionScenario.FEATURES,
        FederatedDemo.LABEL, rounds, 4, 32, new BigDecimal("0.05"), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("0.00001"),
        new BigDecimal("0.34"));
    int[] stoppedAfter = {-1};
    FederatedDemo.Job job = demo.submit(nodes.get(HospitalInsurerDemo.INSURER), nodes.get(OrgId.of("hospital-a")), outcome.versions(), mlp, r -> {
      if (stoppedAfter[0] < 0) {
        stoppedAfter[0] = (int) r.number("round");
        outcome.running().stopNode(HOSPITAL_B);
      }
    });
    int droppedAt = -1;
    for (Json.JObject r : job.rounds()) {
      if (r.strings("dropped").contains(HOSPITAL_B.value())) droppedAt = (int) r.number("round");
    }
    assertTrue(stoppedAfter[0] < rounds, "the node was stopped while the job ran (after round " + stoppedAfter[0] + ")");
    assertTrue(droppedAt > stoppedAfter[0], "hospital-b is named as dropped in a round after it was stopped (round " + stoppedAfter[0] + "), not " + droppedAt
        + "; " + job.rounds().size() + " rounds, stopped: " + job.stopped());
    assertEquals(rounds, job.rounds().size(), "the other two finished every round");
    for (Json.JObject r : job.rounds().subList(droppedAt, rounds)) assertEquals(List.of("hospital-a", "hospital-c"), r.strings("participants"));
    assertTrue(job.stopped().containsKey("dropped " + HOSPITAL_B.value()), job.stopped().toString());
    Json.JObject audit = (Json.JObject) NodeDesk.ask(nodes.get(HospitalInsurerDemo.INSURER), Json.obj("op", "audit"));
    assertTrue(audit.bool("ok"), audit.encode());
  }

  private static String read(Path file) {
    try {
      return java.nio.file.Files.readString(file);
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
