package io.covenant.node.partyjob;

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
import io.covenant.mpc.transport.Committee;
import io.covenant.policy.Policy;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
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
 * A coordinator that lies to an owner's node about a multi-party job: another query than the consumer signed,
 * policies the ledger does not bind, a committee without an input's owner, a job it never authorised, a use beyond the
 * policy's limit, a TEE-only policy. The node checks each against its own copy of the ledger and takes no seat; where
 * the ledger knows the job uses the node's dataset, the refusal is on the ledger, signed by the owner.
 *
 * <p>(Lives in the TEE worker's tests for their signed-ledger fixture; the class under test is the node's.)
 */
class NodeTakesNoSeatTheLedgerDoesNotBack {
  static final String SQL = "SELECT icd10_chapter(diagnosis) AS chapter, COUNT(*) AS n, SUM(cost) AS total FROM claims GROUP BY icd10_chapter(diagnosis)";

  Consortium c;
  List<Consortium.Owner> owners = new ArrayList<>();
  List<DatasetVersion> datasets = new ArrayList<>();
  Committee committee;

  @BeforeEach
  void consortium(@TempDir Path dir) {
    c = new Consortium(dir);
    for (String name : List.of("hospital-a", "hospital-b", "hospital-c")) {
      Consortium.Owner o = c.owner(name);
      DatasetVersion v = DatasetVersion.parse(name + "/claims@1");
      c.publish(o, v, Claims.SCHEMA, Claims.rows(name.substring(9), 40, name.charAt(9)));
      c.publishPolicy(o, policy(v, "[\"tee\", \"mpc\"]", 2));
      owners.add(o);
      datasets.add(v);
    }
    committee = new Committee(owners.stream().map(Consortium.Owner::org).toList());
  }

  @AfterEach
  void close() {
    c.close();
  }

  private Policy policy(DatasetVersion v, String engines, int maxUses) {
    return Policy.parse("""
        {"covenantPolicy": 1, "id": "%s-mpc-%d", "dataset": "%s", "assignees": ["%s"], "purposes": ["research"], "engines": %s,
         "minCohort": 3, "defaultColumnRule": "plain", "maxUses": %d}
        """.formatted(v.dataset().name(), owners.size() + engines.length(), v.dataset(), c.consumer.org(), engines, maxUses));
  }

  private PartyJobService node(Consortium.Owner o) {
    return new PartyJobService(o.credentials, c.coordinator.org(), c.keyService(o), c.ledger, () -> { }, o.kek,
        v -> Optional.ofNullable(o.wrappedKeys.get(v)), c.blockstore, null, java.net.InetAddress.getLoopbackAddress(), Duration.ofSeconds(5),
        c.clock);
  }

  private List<String> policyTexts() {
    return owners.stream().map(o -> o.policies.get(datasets.get(owners.indexOf(o)).dataset()).toJson().encode()).toList();
  }

  private List<AuditEvent.KeyReleaseRefused> refusals(JobRequest job) {
    return c.ledger.entriesForJob(job.id()).stream().map(e -> e.event().event())
        .filter(AuditEvent.KeyReleaseRefused.class::isInstance).map(AuditEvent.KeyReleaseRefused.class::cast).toList();
  }

  @Test
  void anotherQueryThanTheConsumerSignedIsRefused() {
    JobRequest signed = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(signed);
    JobRequest lie = new JobRequest(signed.id(), signed.consumer(), signed.datasets(), Engine.MPC, signed.purpose(),
        new Computation.SqlQuery("SELECT icd10_chapter(diagnosis) AS chapter, SUM(cost) AS total FROM claims GROUP BY icd10_chapter(diagnosis)"));
    PartyJobRefusedException e = assertThrows(PartyJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new PartyJobRequest.Prepare(lie, policyTexts(), committee)));
    assertTrue(e.getMessage().contains("is not the job its consumer signed on the ledger"), e.getMessage());
  }

  @Test
  void policiesTheLedgerDoesNotBindAreRefused() {
    JobRequest job = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(job);
    List<String> texts = new ArrayList<>(policyTexts());
    // A laxer cohort for hospital-b's data, which hospital-b never published: every seat would compute other controls.
    texts.set(1, policy(datasets.get(1), "[\"mpc\"]", 99).toJson().encode());
    PartyJobRefusedException e = assertThrows(PartyJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new PartyJobRequest.Prepare(job, texts, committee)));
    assertTrue(e.getMessage().contains("do not include the one the ledger binds to hospital-b/claims@1"), e.getMessage());
  }

  @Test
  void aCommitteeWithoutAnInputsOwnerIsRefused() {
    JobRequest job = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(job);
    Committee stacked = new Committee(List.of(owners.get(0).org(), owners.get(1).org(), OrgId.of("insurer-x")));
    PartyJobRefusedException e = assertThrows(PartyJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new PartyJobRequest.Prepare(job, policyTexts(), stacked)));
    assertTrue(e.getMessage().contains("leaves out hospital-c"), e.getMessage());
  }

  @Test
  void aJobTheCoordinatorNeverAuthorisedIsRefused() {
    JobRequest job = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    PartyJobRefusedException e = assertThrows(PartyJobRefusedException.class,
        () -> node(owners.get(0)).prepare(new PartyJobRequest.Prepare(job, policyTexts(), committee)));
    assertTrue(e.getMessage().contains("no JOB_AUTHORIZED"), e.getMessage());
  }

  @Test
  void aUseBeyondThePolicysLimitIsRefusedOnTheLedger() {
    // maxUses 2: the coordinator authorises a third job anyway.
    for (int i = 0; i < 2; i++) c.authorize(c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC));
    JobRequest third = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(third);
    KeyReleaseRefusedException e = assertThrows(KeyReleaseRefusedException.class,
        () -> node(owners.get(2)).prepare(new PartyJobRequest.Prepare(third, policyTexts(), committee)));
    assertEquals(KeyReleaseRefusedException.Reason.USES_EXHAUSTED, e.reason());
    assertEquals(List.of("uses-exhausted"), refusals(third).stream().map(AuditEvent.KeyReleaseRefused::reason).toList());
    assertEquals(owners.get(2).org(), refusals(third).getFirst().dataset().owner());
  }

  @Test
  void aTeeOnlyPolicyIsRefusedOnTheLedger() {
    c.publishPolicy(owners.get(1), policy(datasets.get(1), "[\"tee\"]", 5));
    JobRequest job = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(job);
    KeyReleaseRefusedException e = assertThrows(KeyReleaseRefusedException.class,
        () -> node(owners.get(1)).prepare(new PartyJobRequest.Prepare(job, policyTexts(), committee)));
    assertEquals(KeyReleaseRefusedException.Reason.ENGINE_NOT_ALLOWED, e.reason());
    assertEquals(List.of("engine-not-allowed"), refusals(job).stream().map(AuditEvent.KeyReleaseRefused::reason).toList());
  }
}
