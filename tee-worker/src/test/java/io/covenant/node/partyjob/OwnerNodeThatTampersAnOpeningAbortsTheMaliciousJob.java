package io.covenant.node.partyjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import io.covenant.mpc.spdz.LinkNetworks;
import io.covenant.mpc.spdz.MaliciousPartyException;
import io.covenant.mpc.spdz.SpdzAggregateProgram;
import io.covenant.mpc.sql.SecureAggregateQuery;
import io.covenant.mpc.transport.PeerLink;
import io.covenant.mpc.transport.TlsPeerLinks;
import io.covenant.policy.OutputControls;
import io.covenant.tee.fixture.Claims;
import io.covenant.tee.fixture.Consortium;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack on a malicious-secure job: hospital-b's node is compromised. It takes its place in the SPDZ run with its
 * real certificate, but flips one bit of a frame it sends the consumer's node in the online phase (a share, a MAC or an
 * opened value). hospital-a's node and insurer-x's node, both honest (the real party-job service), abort: the
 * consumer's node throws {@link MaliciousPartyException} naming itself and the parties among which the cheater is,
 * hospital-b among them, which the coordinator records as the job's JOB_FAILED reason; no node returns a sealed result
 * and no INPUT_SHARED is recorded. Without SPDZ's MAC check the altered value would flow into the released statistics.
 */
class OwnerNodeThatTampersAnOpeningAbortsTheMaliciousJob {
  /** One thread per party: the common pool may have fewer threads than parties, and a party blocks while it waits for the others. */
  static final java.util.concurrent.ExecutorService THREADS = java.util.concurrent.Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
  static final String SQL = "SELECT COUNT(*) AS n, SUM(cost) AS total FROM claims";

  Consortium c;
  List<Consortium.Owner> owners = new ArrayList<>();
  List<DatasetVersion> datasets = new ArrayList<>();
  CertificateAuthority ca = CertificateAuthority.create("test", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));

  @BeforeEach
  void consortium(@TempDir Path dir) {
    c = new Consortium(dir);
    for (String name : List.of("hospital-a", "hospital-b")) {
      Consortium.Owner o = c.owner(name);
      DatasetVersion v = DatasetVersion.parse(name + "/claims@1");
      c.publish(o, v, Claims.SCHEMA, Claims.rows(name.substring(9), 30, name.charAt(9)));
      c.publishPolicy(o, io.covenant.policy.Policy.parse("""
          {"covenantPolicy": 1, "id": "%s-mpc", "dataset": "%s", "assignees": ["%s"], "purposes": ["research"], "engines": ["mpc"],
           "minCohort": 3, "defaultColumnRule": "plain", "maxUses": 5, "mpc": {"security": "malicious"}}
          """.formatted(v.dataset().name(), v.dataset(), c.consumer.org())));
      owners.add(o);
      datasets.add(v);
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

  @Test
  void theHonestNodesAbortNamingTheSuspectsAndReleaseNothing() {
    JobRequest job = c.submit(new Computation.SqlQuery(SQL, MpcSecurity.MALICIOUS), datasets, Engine.MPC);
    c.authorize(job);
    OrgId a = owners.get(0).org(), b = owners.get(1).org(), insurer = c.consumer.org();
    List<OrgId> seats = List.of(a, b, insurer);
    List<String> policies = List.of(owners.get(0).policies.get(datasets.get(0).dataset()).toJson().encode(),
        owners.get(1).policies.get(datasets.get(1).dataset()).toJson().encode());
    Consortium.Owner first = owners.get(0);
    PartyJobService nodeA = new PartyJobService(first.credentials, c.coordinator.org(), c.keyService(first), c.ledger, () -> { }, first.kek,
        v -> Optional.ofNullable(first.wrappedKeys.get(v)), c.blockstore, identity(a), InetAddress.getLoopbackAddress(), Duration.ofSeconds(60), c.clock);
    PartyJobService nodeInsurer = new PartyJobService(c.consumer, c.coordinator.org(), null, c.ledger, () -> { }, KeyEncryptionKey.generate(),
        v -> Optional.empty(), c.blockstore, identity(insurer), InetAddress.getLoopbackAddress(), Duration.ofSeconds(60), c.clock);
    MutualTls bIdentity = identity(b);
    TlsPeerLinks.Listener bListener = TlsPeerLinks.listen(bIdentity, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofSeconds(60));
    try {
      InetSocketAddress endpointA = PartyJobRequest.address(nodeA.prepare(new PartyJobRequest.Prepare(job, policies, seats)).string("endpoint"));
      InetSocketAddress endpointInsurer = PartyJobRequest.address(nodeInsurer.prepare(new PartyJobRequest.Prepare(job, policies, seats)).string("endpoint"));
      List<InetSocketAddress> endpoints = List.of(endpointA, bListener.address(), endpointInsurer);
      CompletableFuture<Json.JObject> runA = CompletableFuture.supplyAsync(() -> nodeA.run(new PartyJobRequest.Run(job.id(), endpoints)), THREADS);
      CompletableFuture<Json.JObject> runInsurer = CompletableFuture.supplyAsync(() -> nodeInsurer.run(new PartyJobRequest.Run(job.id(), endpoints)), THREADS);
      // hospital-b's compromised node: the same program over the same links, but one altered frame toward the insurer.
      CompletableFuture<Object> runB = CompletableFuture.supplyAsync(() -> {
        Map<OrgId, PeerLink> links = new HashMap<>();
        links.put(a, TlsPeerLinks.connect(bIdentity, endpointA, a, job.id(), Duration.ofSeconds(60)));
        links.put(insurer, new AlteringLink(bListener.acceptAll(job.id(), Set.of(insurer)).get(insurer), 6));
        SecureAggregateQuery query = SecureAggregateQuery.compile(SQL, OutputControls.cohortOnly(3));
        try (LinkNetworks networks = new LinkNetworks(seats, b, links)) {
          return SpdzAggregateProgram.run(networks, List.of(a, b), insurer, query, new long[] {31, 4_000_000_000L, 31}, Duration.ofMinutes(10));
        }
      }, THREADS);
      Throwable atInsurer = failure(runInsurer);
      Throwable atA = failure(runA);
      Throwable atB = failure(runB);
      assertTrue(atInsurer instanceof MaliciousPartyException, "the consumer's node detects the deviation: " + atInsurer + "; at hospital-a: " + atA
          + "; at hospital-b: " + atB);
      MaliciousPartyException caught = (MaliciousPartyException) atInsurer;
      assertEquals(insurer, caught.detectedBy());
      assertTrue(caught.suspects().contains(b) && caught.getMessage().contains("no result was opened"), caught.getMessage());
      assertTrue(atA != null, "hospital-a's node does not finish either");
      assertTrue(c.ledger.entriesForJob(job.id()).stream().noneMatch(e -> e.event().event() instanceof AuditEvent.InputShared),
          "no INPUT_SHARED for an aborted run");
    } finally {
      bListener.close();
    }
  }

  /** What the future threw, or fails the test if it returned (a result must not come out). */
  private static Throwable failure(CompletableFuture<?> f) {
    try {
      Object v = f.join();
      throw new AssertionError("a party finished the tampered run with " + v);
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  /** hospital-b's link to the insurer: flips the lowest bit of the n-th frame it sends on SPDZ's online channel. */
  static final class AlteringLink implements PeerLink {
    private final PeerLink link;
    private final int target;
    private int online;

    AlteringLink(PeerLink link, int target) {
      this.link = link;
      this.target = target;
    }

    @Override
    public OrgId self() {
      return link.self();
    }

    @Override
    public OrgId peer() {
      return link.peer();
    }

    @Override
    public void send(byte[] frame) {
      if (frame.length > 1 && frame[0] == LinkNetworks.ONLINE && ++online == target) {
        frame = frame.clone();
        frame[frame.length - 1] ^= 1;
      }
      link.send(frame);
    }

    @Override
    public byte[] receive() {
      return link.receive();
    }

    @Override
    public void close() {
      link.close();
    }
  }
}
