package io.covenant.node.partyjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Computation.PrivateSetIntersection.Learners;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.mpc.psi.SealedIntersection;
import io.covenant.mpc.sql.OpenedTable;
import io.covenant.policy.Policy;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A private set intersection between two owners' nodes, run for real (KKRT16 over mutual TLS on loopback): the
 * consumer, here hospital-a asking which of its patients hospital-b also treats, learns exactly the common ids and
 * the other owner learns none of them unless the job says both learn and both policies allow it; the number of
 * matches reaches the coordinator (for the ledger) only if every policy allows it. An owner whose policy keeps its
 * matches private takes no seat, whatever the operator authorised: the coordinator is trusted for liveness only.
 *
 * <p>(Lives in the TEE worker's tests for their signed-ledger fixture; the class under test is the node's.)
 */
class IntersectionRevealsOnlyWhatTheOwnersAllow {
  Consortium c;
  Consortium.Owner a;
  Consortium.Owner b;
  DatasetVersion aData = DatasetVersion.parse("hospital-a/claims@1");
  DatasetVersion bData = DatasetVersion.parse("hospital-b/claims@1");
  Path dir;
  CertificateAuthority ca = CertificateAuthority.create("Test consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));

  @BeforeEach
  void consortium(@TempDir Path dir) {
    this.dir = dir;
    c = new Consortium(dir);
    a = c.owner("hospital-a");
    b = c.owner("hospital-b");
    // Patients 0..59 at hospital-a, 30..99 at hospital-b: 30..59 are treated at both.
    c.publish(a, aData, Claims.SCHEMA, patients(0, 60));
    c.publish(b, bData, Claims.SCHEMA, patients(30, 100));
  }

  @AfterEach
  void close() {
    c.close();
  }

  private static List<Object[]> patients(int from, int to) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = from; i < to; i++) rows.add(new Object[] {"pt-%06d".formatted(i), 40L + i % 30, "F", "E11.9", 200.0 + i, LocalDate.of(2020, 1, 1)});
    return rows;
  }

  private static List<String> common() {
    List<String> ids = new ArrayList<>();
    for (int i = 30; i < 60; i++) ids.add("pt-%06d".formatted(i));
    return ids;
  }

  private void policies(String aMatching, String bMatching) {
    c.publishPolicy(a, policy(aData, aMatching));
    c.publishPolicy(b, policy(bData, bMatching));
  }

  private static Policy policy(DatasetVersion v, String matching) {
    return Policy.parse("""
        {"covenantPolicy": 1, "id": "%s-psi", "dataset": "%s", "assignees": ["hospital-a"], "purposes": ["research"], "engines": ["mpc"],
         "minCohort": 3, "columns": {"patient_id": "join"}, "defaultColumnRule": "never"%s}
        """.formatted(v.dataset().owner().value(), v.dataset(), matching.isEmpty() ? "" : ", \"matching\": " + matching));
  }

  /** hospital-a's signed JOB_SUBMITTED of an intersection with hospital-b's dataset, and the operator's authorisation. */
  private JobRequest submitted(Learners learners) {
    JobRequest job = new JobRequest(JobId.random(), a.org(), List.of(aData, bData), Engine.MPC, new Purpose("research"),
        new Computation.PrivateSetIntersection("patient_id", learners));
    c.append(a.credentials, new AuditEvent.JobSubmitted(job.id(), job.consumer(), job.datasets(), job.engine(), job.purpose(), job.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL)));
    c.authorize(job);
    return job;
  }

  private MutualTls tls(Consortium.Owner o) {
    var cert = ca.issue(o.org(), List.of("member"), o.credentials.signingKey().verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    return MutualTls.of(o.org(), o.credentials.signingKey(), cert, new ConsortiumRoot(ca.root()), d -> false, Clock.systemUTC());
  }

  private PartyJobService node(Consortium.Owner o) {
    return new PartyJobService(o.credentials, c.coordinator.org(), c.keyService(o), c.ledger, () -> { }, o.kek,
        v -> Optional.ofNullable(o.wrappedKeys.get(v)), c.blockstore, tls(o), java.net.InetAddress.getLoopbackAddress(), Duration.ofSeconds(10),
        c.clock, Optional.of(kept(o)));
  }

  private Path kept(Consortium.Owner o) {
    return dir.resolve(o.org().value()).resolve("intersections");
  }

  private List<String> policyTexts() {
    return List.of(a.policies.get(aData.dataset()).toJson().encode(), b.policies.get(bData.dataset()).toJson().encode());
  }

  /** Both seats prepare and run, as the coordinator schedules them; answers in seat order. */
  private List<Json.JObject> run(JobRequest job) {
    PartyJobService receiver = node(a);
    PartyJobService sender = node(b);
    try (receiver; sender) {
      var prepare = new PartyJobRequest.Prepare(job, policyTexts(), List.of(a.org(), b.org()));
      Json.JObject r = receiver.prepare(prepare);
      Json.JObject s = sender.prepare(prepare);
      assertEquals(0, r.number("seat"));
      assertEquals(1, s.number("seat"));
      var start = new PartyJobRequest.Run(job.id(), List.of(PartyJobRequest.address(r.string("endpoint")), PartyJobRequest.address(s.string("endpoint"))));
      CompletableFuture<Json.JObject> senderRun = CompletableFuture.supplyAsync(() -> sender.run(start));
      Json.JObject receiverAnswer = receiver.run(start);
      return List.of(receiverAnswer, senderRun.join());
    }
  }

  private OpenedTable opened(JobRequest job, List<Json.JObject> answers) {
    byte[] bundle = SealedIntersection.bundle(job.id(), answers.stream().map(x -> Base64.getDecoder().decode(x.string("sealed"))).toList());
    return SealedIntersection.openTable(bundle, a.credentials.encryptionKeys(), job.id(), job.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  private static List<String> ids(OpenedTable t) {
    return t.rows().stream().map(r -> (String) r.getFirst()).toList();
  }

  @Test
  void theConsumerLearnsExactlyTheCommonIdsAndTheOtherOwnerNone() {
    policies("", "{\"revealMatches\": true}");
    JobRequest job = submitted(Learners.CONSUMER);
    List<Json.JObject> answers = run(job);
    assertEquals(common(), ids(opened(job, answers)));
    assertFalse(Files.exists(kept(b)), "the sender keeps nothing: it learned only the two set sizes");
    assertFalse(answers.get(0).has("matched"), "no policy lets the count go on the ledger: " + answers.get(0).encode());
    for (Json.JObject answer : answers) {
      assertFalse(answer.encode().contains("pt-0000"), "an answer the coordinator sees holds an id in the clear: " + answer.encode());
    }
    // Each owner recorded reading its own input, counting rows read, not rows matched.
    List<AuditEvent.InputShared> shared = c.ledger.entriesForJob(job.id()).stream().map(e -> e.event().event())
        .filter(AuditEvent.InputShared.class::isInstance).map(AuditEvent.InputShared.class::cast).toList();
    assertEquals(List.of(60L, 70L), shared.stream().sorted(java.util.Comparator.comparing(s -> s.dataset().toString())).map(AuditEvent.InputShared::rows).toList());
  }

  @Test
  void anEcdhIntersectionGivesTheConsumerTheSameIds() {
    policies("", "{\"revealMatches\": true}");
    JobRequest job = new JobRequest(JobId.random(), a.org(), List.of(aData, bData), Engine.MPC, new Purpose("research"),
        new Computation.PrivateSetIntersection("patient_id", Learners.CONSUMER, Computation.PrivateSetIntersection.ECDH_P256));
    c.append(a.credentials, new AuditEvent.JobSubmitted(job.id(), job.consumer(), job.datasets(), job.engine(), job.purpose(), job.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL)));
    c.authorize(job);
    assertEquals(common(), ids(opened(job, run(job))));
    assertFalse(Files.exists(kept(b)));
  }

  @Test
  void whenBothLearnTheOtherOwnerKeepsItsMatchesAtItsOwnNodeAndTheCountIsReportedOnlyIfBothAllow() throws java.io.IOException {
    policies("{\"revealMatches\": true, \"revealCount\": true}", "{\"revealMatches\": true, \"revealCount\": true}");
    JobRequest job = submitted(Learners.BOTH);
    List<Json.JObject> answers = run(job);
    assertEquals(common(), ids(opened(job, answers)));
    assertEquals(30, answers.get(0).number("matched"));
    Path file = kept(b).resolve(job.id().value() + ".txt");
    List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).toList();
    assertEquals(new TreeSet<>(common()), new TreeSet<>(lines));
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void anOwnerWhosePolicyKeepsItsMatchesPrivateTakesNoSeatThoughTheOperatorAuthorised() {
    // hospital-b's policy lets nobody learn its matches; the operator authorises hospital-a's intersection anyway.
    policies("", "");
    JobRequest job = submitted(Learners.CONSUMER);
    try (PartyJobService sender = node(b)) {
      PartyJobRefusedException e = assertThrows(PartyJobRefusedException.class,
          () -> sender.prepare(new PartyJobRequest.Prepare(job, policyTexts(), List.of(a.org(), b.org()))));
      assertTrue(e.getMessage().contains("does not let hospital-a learn which of its ids occur in it (matching.revealMatches is false)"), e.getMessage());
    }
    // Asking that both learn needs hospital-a's leave too: its own node refuses for its own dataset.
    JobRequest both = submitted(Learners.BOTH);
    try (PartyJobService receiver = node(a)) {
      PartyJobRefusedException e = assertThrows(PartyJobRefusedException.class,
          () -> receiver.prepare(new PartyJobRequest.Prepare(both, policyTexts(), List.of(a.org(), b.org()))));
      assertTrue(e.getMessage().contains("does not let the other owner learn"), e.getMessage());
    }
  }

  @Test
  void seatsTheCoordinatorSwappedOrPaddedAreRefused() {
    policies("", "{\"revealMatches\": true}");
    JobRequest job = submitted(Learners.CONSUMER);
    try (PartyJobService sender = node(b)) {
      // The sender put in the receiver's seat would learn the consumer's matches.
      PartyJobRefusedException swapped = assertThrows(PartyJobRefusedException.class,
          () -> sender.prepare(new PartyJobRequest.Prepare(job, policyTexts(), List.of(b.org(), a.org()))));
      assertTrue(swapped.getMessage().contains("the consumer (the receiver), then the other owner"), swapped.getMessage());
      PartyJobRefusedException padded = assertThrows(PartyJobRefusedException.class,
          () -> sender.prepare(new PartyJobRequest.Prepare(job, policyTexts(), List.of(a.org(), b.org(), OrgId.of("insurer-x")))));
      assertTrue(padded.getMessage().contains("a private set intersection has two"), padded.getMessage());
    }
  }

  @Test
  void aPartOfTheResultForAnotherJobOrAlteredDoesNotOpen() {
    policies("", "{\"revealMatches\": true}");
    JobRequest job = submitted(Learners.CONSUMER);
    List<Json.JObject> answers = run(job);
    List<byte[]> parts = answers.stream().map(x -> Base64.getDecoder().decode(x.string("sealed"))).toList();
    JobId other = JobId.random();
    var e = assertThrows(io.covenant.core.error.IntegrityException.class,
        () -> SealedIntersection.openTable(SealedIntersection.bundle(other, parts), a.credentials.encryptionKeys(), other, job.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL)));
    assertTrue(e.getMessage().contains("cannot be opened"), e.getMessage());
    byte[] altered = parts.get(0).clone();
    altered[altered.length - 1] ^= 1;
    var f = assertThrows(io.covenant.core.error.IntegrityException.class, () -> SealedIntersection.openTable(
        SealedIntersection.bundle(job.id(), List.of(altered, parts.get(1))), a.credentials.encryptionKeys(), job.id(), job.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL)));
    assertTrue(f.getMessage().contains("part 0"), f.getMessage());
    var g = assertThrows(io.covenant.core.error.IntegrityException.class, () -> SealedIntersection.openTable(
        SealedIntersection.bundle(job.id(), parts), a.credentials.encryptionKeys(), job.id(), new Computation.PrivateSetIntersection("patient_id", Learners.BOTH).hash(io.covenant.core.crypto.CryptoSuite.INTL)));
    assertTrue(g.getMessage().contains("ran another intersection"), g.getMessage());
  }
}
