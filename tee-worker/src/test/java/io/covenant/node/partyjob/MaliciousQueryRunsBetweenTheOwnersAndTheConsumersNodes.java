package io.covenant.node.partyjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.core.job.MpcSecurity;
import io.covenant.mpc.spdz.SealedSpdzResult;
import io.covenant.mpc.sql.OpenedTable;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A query in the malicious-secure mode through the nodes' own party-job service: hospital-a's and hospital-b's nodes
 * (hospital-b's policy requires malicious security) and the consumer's node link over mutual TLS with their
 * certificates, run SPDZ with MASCOT preprocessing, and the consumer's node alone returns a sealed part; the consumer
 * opens it to the same count, sum and mean as the pooled plaintext rows, and each owner's INPUT_SHARED on the ledger
 * says the job ran malicious.
 */
class MaliciousQueryRunsBetweenTheOwnersAndTheConsumersNodes {
  /** One thread per party: the common pool may have fewer threads than parties, and a party blocks while it waits for the others. */
  static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
  static final String SQL = "SELECT COUNT(*) AS n, SUM(cost) AS total, AVG(cost) AS mean FROM claims";

  Consortium c;
  List<Consortium.Owner> owners = new ArrayList<>();
  List<DatasetVersion> datasets = new ArrayList<>();
  List<List<Object[]>> rows = new ArrayList<>();
  CertificateAuthority ca = CertificateAuthority.create("test", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));

  @BeforeEach
  void consortium(@TempDir Path dir) {
    c = new Consortium(dir);
    for (String name : List.of("hospital-a", "hospital-b")) {
      Consortium.Owner o = c.owner(name);
      DatasetVersion v = DatasetVersion.parse(name + "/claims@1");
      List<Object[]> r = Claims.rows(name.substring(9), 30, name.charAt(9));
      c.publish(o, v, Claims.SCHEMA, r);
      c.publishPolicy(o, io.covenant.policy.Policy.parse("""
          {"covenantPolicy": 1, "id": "%s-mpc", "dataset": "%s", "assignees": ["%s"], "purposes": ["research"], "engines": ["mpc"],
           "minCohort": 3, "defaultColumnRule": "plain", "maxUses": 5%s}
          """.formatted(v.dataset().name(), v.dataset(), c.consumer.org(), name.equals("hospital-b") ? ", \"mpc\": {\"security\": \"malicious\"}" : "")));
      owners.add(o);
      datasets.add(v);
      rows.add(r);
    }
  }

  @AfterEach
  void close() {
    c.close();
  }

  private MutualTls identity(OrgId org) {
    SigningKey key = SigningKey.generate();
    var cert = ca.issue(org, List.of("owner"), key.verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    return MutualTls.of(org, key, cert, new ConsortiumRoot(ca.root()), fingerprint -> false, Clock.systemUTC());
  }

  private PartyJobService owner(Consortium.Owner o) {
    return new PartyJobService(o.credentials, c.coordinator.org(), c.keyService(o), c.ledger, () -> { }, o.kek,
        v -> Optional.ofNullable(o.wrappedKeys.get(v)), c.blockstore, identity(o.org()), InetAddress.getLoopbackAddress(), Duration.ofSeconds(60), c.clock);
  }

  @Test
  void theConsumerAloneReceivesThePooledStatisticsAndTheLedgerSaysMalicious() {
    JobRequest job = c.submit(new Computation.SqlQuery(SQL, MpcSecurity.MALICIOUS), datasets, Engine.MPC);
    c.authorize(job);
    List<OrgId> seats = List.of(owners.get(0).org(), owners.get(1).org(), c.consumer.org());
    List<String> policies = List.of(owners.get(0).policies.get(datasets.get(0).dataset()).toJson().encode(),
        owners.get(1).policies.get(datasets.get(1).dataset()).toJson().encode());
    // The consumer's node owns no input here, so it is never asked for an owner's decision.
    List<PartyJobService> nodes = List.of(owner(owners.get(0)), owner(owners.get(1)),
        new PartyJobService(c.consumer, c.coordinator.org(), null, c.ledger, () -> { }, KeyEncryptionKey.generate(), v -> Optional.empty(), c.blockstore,
            identity(c.consumer.org()), InetAddress.getLoopbackAddress(), Duration.ofSeconds(60), c.clock));
    List<java.net.InetSocketAddress> endpoints = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Json.JObject seat = nodes.get(i).prepare(new PartyJobRequest.Prepare(job, policies, seats));
      assertEquals(i, seat.number("seat"));
      endpoints.add(PartyJobRequest.address(seat.string("endpoint")));
    }
    List<CompletableFuture<Json.JObject>> runs = new ArrayList<>();
    for (PartyJobService n : nodes) runs.add(CompletableFuture.supplyAsync(() -> n.run(new PartyJobRequest.Run(job.id(), endpoints)), THREADS));
    List<Json.JObject> answers = runs.stream().map(CompletableFuture::join).toList();
    assertFalse(answers.get(0).has("sealed") || answers.get(1).has("sealed"), "the owners' nodes hold no result");
    byte[] bundle = SealedSpdzResult.bundle(job.id(), Base64.getDecoder().decode(answers.get(2).string("sealed")));
    OpenedTable table = SealedSpdzResult.openTable(bundle, c.consumer.encryptionKeys(), job.id(), job.computation().hash(io.covenant.core.crypto.CryptoSuite.INTL));

    long n = 0, costed = 0;
    BigDecimal total = BigDecimal.ZERO;
    for (List<Object[]> r : rows) {
      for (Object[] row : r) {
        n++;
        if (row[4] != null) {
          costed++;
          total = total.add(BigDecimal.valueOf((Double) row[4]));
        }
      }
    }
    assertEquals(List.of("n", "total", "mean"), table.columns());
    List<Object> got = table.rows().getFirst();
    assertEquals(n, ((Number) got.get(0)).longValue());
    assertEquals(0, total.setScale(6).compareTo(((BigDecimal) got.get(1)).setScale(6)), "sum " + got.get(1) + " vs " + total);
    assertEquals(total.doubleValue() / costed, ((Number) got.get(2)).doubleValue(), 1e-6);

    List<AuditEvent.InputShared> shared = c.ledger.entriesForJob(job.id()).stream().map(e -> e.event().event())
        .filter(AuditEvent.InputShared.class::isInstance).map(AuditEvent.InputShared.class::cast).toList();
    assertEquals(2, shared.size());
    for (AuditEvent.InputShared s : shared) {
      assertEquals(MpcSecurity.MALICIOUS, s.security());
      assertEquals("malicious", s.body().string("security"));
      assertEquals(seats, s.committee());
    }
    assertTrue(answers.get(2).string("security").equals("malicious"));
  }
}
