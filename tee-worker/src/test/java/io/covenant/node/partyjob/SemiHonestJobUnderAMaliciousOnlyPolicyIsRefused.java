package io.covenant.node.partyjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.core.job.MpcSecurity;
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
 * The attack: hospital-b's policy requires malicious security ({@code "mpc": {"security": "malicious"}}), and a
 * coordinator schedules a multi-party query in the semi-honest mode on its data anyway (the consumer submitted it so,
 * or the coordinator hopes the node will not look). hospital-b's node takes no seat and records KEY_RELEASE_REFUSED,
 * reason {@code security-too-weak}, signed by hospital-b; hospital-a, whose policy accepts either mode, is not refused
 * for that reason. Without the node's check the semi-honest job would run on hospital-b's data.
 *
 * <p>(Lives in the TEE worker's tests for their signed-ledger fixture; the class under test is the node's.)
 */
class SemiHonestJobUnderAMaliciousOnlyPolicyIsRefused {
  static final String SQL = "SELECT COUNT(*) AS n, SUM(cost) AS total FROM claims";

  Consortium c;
  List<Consortium.Owner> owners = new ArrayList<>();
  List<DatasetVersion> datasets = new ArrayList<>();

  @BeforeEach
  void consortium(@TempDir Path dir) {
    c = new Consortium(dir);
    for (String name : List.of("hospital-a", "hospital-b", "hospital-c")) {
      Consortium.Owner o = c.owner(name);
      DatasetVersion v = DatasetVersion.parse(name + "/claims@1");
      c.publish(o, v, Claims.SCHEMA, Claims.rows(name.substring(9), 40, name.charAt(9)));
      c.publishPolicy(o, policy(v, name.equals("hospital-b") ? ", \"mpc\": {\"security\": \"malicious\"}" : ""));
      owners.add(o);
      datasets.add(v);
    }
  }

  @AfterEach
  void close() {
    c.close();
  }

  private Policy policy(DatasetVersion v, String mpc) {
    return Policy.parse("""
        {"covenantPolicy": 1, "id": "%s-mpc", "dataset": "%s", "assignees": ["%s"], "purposes": ["research"], "engines": ["mpc"],
         "minCohort": 3, "defaultColumnRule": "plain", "maxUses": 5%s}
        """.formatted(v.dataset().name(), v.dataset(), c.consumer.org(), mpc));
  }

  private PartyJobService node(Consortium.Owner o) {
    return new PartyJobService(o.credentials, c.coordinator.org(), c.keyService(o), c.ledger, () -> { }, o.kek,
        v -> Optional.ofNullable(o.wrappedKeys.get(v)), c.blockstore, null, java.net.InetAddress.getLoopbackAddress(), Duration.ofSeconds(5), c.clock);
  }

  private List<String> policyTexts() {
    return owners.stream().map(o -> o.policies.get(datasets.get(owners.indexOf(o)).dataset()).toJson().encode()).toList();
  }

  @Test
  void theOwnerRequiringMaliciousSecurityRefusesOnTheLedger() {
    JobRequest job = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(job);
    Committee committee = new Committee(owners.stream().map(Consortium.Owner::org).toList());
    KeyReleaseRefusedException e = assertThrows(KeyReleaseRefusedException.class,
        () -> node(owners.get(1)).prepare(new PartyJobRequest.Prepare(job, policyTexts(), committee)));
    assertEquals(KeyReleaseRefusedException.Reason.SECURITY_TOO_WEAK, e.reason());
    assertTrue(e.getMessage().contains("requires mpc.security malicious") && e.getMessage().contains("\"security\": \"malicious\""), e.getMessage());
    List<AuditEvent.KeyReleaseRefused> refusals = c.ledger.entriesForJob(job.id()).stream().map(x -> x.event().event())
        .filter(AuditEvent.KeyReleaseRefused.class::isInstance).map(AuditEvent.KeyReleaseRefused.class::cast).toList();
    assertEquals(List.of("security-too-weak"), refusals.stream().map(AuditEvent.KeyReleaseRefused::reason).toList());
    assertEquals(datasets.get(1), refusals.getFirst().dataset());
  }

  @Test
  void aSemiHonestPolicyAcceptsTheSemiHonestJobAndAMaliciousJobSatisfiesEither() {
    assertTrue(MpcSecurity.MALICIOUS.satisfies(MpcSecurity.MALICIOUS) && MpcSecurity.MALICIOUS.satisfies(MpcSecurity.SEMI_HONEST));
    assertTrue(MpcSecurity.SEMI_HONEST.satisfies(MpcSecurity.SEMI_HONEST) && !MpcSecurity.SEMI_HONEST.satisfies(MpcSecurity.MALICIOUS));
    // hospital-a's policy (no mpc block) lets the node past the owner's decision: it fails later only for want of a TLS identity.
    JobRequest job = c.submit(new Computation.SqlQuery(SQL), datasets, Engine.MPC);
    c.authorize(job);
    Committee committee = new Committee(owners.stream().map(Consortium.Owner::org).toList());
    RuntimeException e = assertThrows(RuntimeException.class, () -> node(owners.get(0)).prepare(new PartyJobRequest.Prepare(job, policyTexts(), committee)));
    assertTrue(!(e instanceof KeyReleaseRefusedException), "hospital-a is not refused by the owner's decision: " + e);
  }
}
