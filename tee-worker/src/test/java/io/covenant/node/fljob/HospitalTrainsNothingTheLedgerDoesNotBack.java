package io.covenant.node.fljob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.mpc.fl.FlRoster;
import io.covenant.policy.Policy;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator that lies to a hospital's node about a federated job: another training than the consumer signed, an
 * aggregator that is not the log's operator, a roster with a hospital that owns no input, a job it never authorised, a
 * policy that allows only other engines, a budgeted policy with a training that adds no noise. The node checks each
 * against its own copy of the ledger and reads nothing; where the ledger knows the job uses the node's dataset, the
 * refusal is on the ledger, signed by the owner.
 *
 * <p>(Lives in the TEE worker's tests for their signed-ledger fixture; the class under test is the node's.)
 */
class HospitalTrainsNothingTheLedgerDoesNotBack {
  Consortium c;
  List<Consortium.Owner> owners = new ArrayList<>();
  List<DatasetVersion> datasets = new ArrayList<>();
  FlRoster roster;

  @BeforeEach
  void consortium(@TempDir Path dir) {
    c = new Consortium(dir);
    for (String name : List.of("hospital-a", "hospital-b", "hospital-c")) {
      Consortium.Owner o = c.owner(name);
      DatasetVersion v = DatasetVersion.parse(name + "/claims@1");
      c.publish(o, v, Claims.SCHEMA, Claims.rows(name.substring(9), 40, name.charAt(9)));
      c.publishPolicy(o, policy(v, "[\"fl\"]", ""));
      owners.add(o);
      datasets.add(v);
    }
    roster = new FlRoster(c.coordinator.org(), owners.stream().map(Consortium.Owner::org).toList());
  }

  @AfterEach
  void close() {
    c.close();
  }

  private Policy policy(DatasetVersion v, String engines, String privacy) {
    return Policy.parse("""
        {"covenantPolicy": 1, "id": "%s-fl-%d", "dataset": "%s", "assignees": ["%s"], "purposes": ["research"], "engines": %s,
         "minCohort": 3, "defaultColumnRule": "plain", "maxUses": 5, "training": {"columns": ["age", "cost"], "minRows": 10}%s}
        """.formatted(v.dataset().name(), engines.length() + privacy.length(), v.dataset(), c.consumer.org(), engines, privacy));
  }

  private static Computation.FederatedTraining training(BigDecimal noise) {
    return new Computation.FederatedTraining(Computation.FederatedTraining.LOGISTIC_REGRESSION, 0, List.of("cost"), "age", 5, 1, 32,
        new BigDecimal("0.1"), BigDecimal.ZERO, noise.signum() > 0 ? BigDecimal.ONE : BigDecimal.ZERO, noise, new BigDecimal("0.00001"), new BigDecimal("0.34"));
  }

  private FlJobService node(Consortium.Owner o) {
    return new FlJobService(o.credentials, c.coordinator.org(), c.keyService(o), c.ledger, () -> { }, o.kek,
        v -> Optional.ofNullable(o.wrappedKeys.get(v)), c.blockstore, null, "127.0.0.1", Duration.ofSeconds(5), c.clock);
  }

  private List<String> policyTexts() {
    return owners.stream().map(o -> o.policies.get(datasets.get(owners.indexOf(o)).dataset()).toJson().encode()).toList();
  }

  private List<AuditEvent.KeyReleaseRefused> refusals(JobRequest job) {
    return c.ledger.entriesForJob(job.id()).stream().map(e -> e.event().event())
        .filter(AuditEvent.KeyReleaseRefused.class::isInstance).map(AuditEvent.KeyReleaseRefused.class::cast).toList();
  }

  private JobRequest authorised(Computation computation) {
    JobRequest job = c.submit(computation, datasets, Engine.FL);
    c.authorize(job);
    return job;
  }

  @Test
  void anotherTrainingThanTheConsumerSignedIsRefused() {
    JobRequest signed = authorised(training(BigDecimal.ZERO));
    JobRequest lie = new JobRequest(signed.id(), signed.consumer(), signed.datasets(), Engine.FL, signed.purpose(), training(new BigDecimal("0.001")));
    FlJobRefusedException e = assertThrows(FlJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new FlJobRequest.Prepare(lie, policyTexts(), roster)));
    assertTrue(e.getMessage().contains("is not the job its consumer signed on the ledger"), e.getMessage());
  }

  @Test
  void anAggregatorOtherThanTheOperatorIsRefused() {
    JobRequest job = authorised(training(BigDecimal.ZERO));
    FlRoster elsewhere = new FlRoster(OrgId.of("insurer-x"), roster.hospitals());
    FlJobRefusedException e = assertThrows(FlJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new FlJobRequest.Prepare(job, policyTexts(), elsewhere)));
    assertTrue(e.getMessage().contains("only to the log's operator"), e.getMessage());
  }

  @Test
  void aRosterWithAHospitalThatOwnsNoInputIsRefused() {
    JobRequest job = authorised(training(BigDecimal.ZERO));
    List<OrgId> stacked = new ArrayList<>(roster.hospitals());
    stacked.add(OrgId.of("hospital-z"));
    FlJobRefusedException e = assertThrows(FlJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new FlJobRequest.Prepare(job, policyTexts(), new FlRoster(roster.aggregator(), stacked))));
    assertTrue(e.getMessage().contains("is not the owners of its inputs"), e.getMessage());
  }

  @Test
  void aJobTheCoordinatorNeverAuthorisedIsRefused() {
    JobRequest job = c.submit(training(BigDecimal.ZERO), datasets, Engine.FL);
    FlJobRefusedException e = assertThrows(FlJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new FlJobRequest.Prepare(job, policyTexts(), roster)));
    assertTrue(e.getMessage().contains("no JOB_AUTHORIZED"), e.getMessage());
  }

  @Test
  void aPolicyWithoutTheFlEngineIsRefusedOnTheLedger() {
    c.publishPolicy(owners.get(1), policy(datasets.get(1), "[\"tee\", \"mpc\"]", ""));
    JobRequest job = authorised(training(BigDecimal.ZERO));
    KeyReleaseRefusedException e = assertThrows(KeyReleaseRefusedException.class,
        () -> node(owners.get(1)).prepare(new FlJobRequest.Prepare(job, policyTexts(), roster)));
    assertEquals(KeyReleaseRefusedException.Reason.ENGINE_NOT_ALLOWED, e.reason());
    assertEquals(List.of("engine-not-allowed"), refusals(job).stream().map(AuditEvent.KeyReleaseRefused::reason).toList());
  }

  @Test
  void aBudgetedPolicyRefusesTrainingWithoutNoise() {
    c.publishPolicy(owners.get(2), policy(datasets.get(2), "[\"fl\"]", ", \"privacy\": {\"epsilonPerQuery\": 5, \"epsilonTotal\": 20}"));
    JobRequest job = authorised(training(BigDecimal.ZERO));
    FlJobRefusedException e = assertThrows(FlJobRefusedException.class,
        () -> node(owners.get(2)).prepare(new FlJobRequest.Prepare(job, policyTexts(), roster)));
    assertTrue(e.getMessage().contains("trains only differentially privately"), e.getMessage());
  }
}
