package io.covenant.tee.keyrelease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRefusedException.Reason;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.NodeKeyService;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.mirror.LedgerSource;
import io.covenant.ledger.mirror.MirroredLedger;
import io.covenant.node.OrgNodeServer;
import io.covenant.node.keyrelease.CaughtUpKeyService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator staples to each job the log as it stood when the job started, and the enclave forwards it with its
 * key requests, so that an owner's node decides without asking the coordinator first. The staple is untrusted: a stale
 * one cannot hide a revocation or the job's end that reached the log before the owner's KEY_RELEASED (the node checks
 * again against the log up to its own entry, and withholds the key), a forged one releases nothing, and one that does
 * not cover the job makes the node sync as it would without one.
 */
class StapledLogCannotHideWhatFollowsIt {
  @TempDir Path dir;
  private final CertificateAuthority ca = CertificateAuthority.create("Test consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
  private final ByteArrayOutputStream nodeLog = new ByteArrayOutputStream();

  /** The coordinator's ledger API as the node's mirror sees it, counting the reads the node makes. */
  private static final class CountingSource implements LedgerSource {
    final io.covenant.ledger.Ledger ledger;
    final AtomicInteger reads = new AtomicInteger();

    CountingSource(io.covenant.ledger.Ledger ledger) {
      this.ledger = ledger;
    }

    @Override public SignedCheckpoint checkpoint() { reads.incrementAndGet(); return ledger.checkpoint(); }
    @Override public List<LedgerEntry> entries(long from, long to) { reads.incrementAndGet(); return ledger.entries(from, Math.min(to, ledger.size())); }
    @Override public LedgerEntry append(SignedEvent event) { return ledger.append(event); }
    @Override public LogUpdate appendAll(List<SignedEvent> events) { List<LedgerEntry> appended = ledger.appendAll(events); return new LogUpdate(ledger.checkpoint(), appended); }
    @Override public String describe() { return "the test coordinator"; }
  }

  private MutualTls tlsOf(OrgCredentials org) {
    var cert = ca.issue(org.org(), List.of("owner"), org.signingKey().verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    return MutualTls.of(org.org(), org.signingKey(), cert, new ConsortiumRoot(ca.root()), d -> false, Clock.systemUTC());
  }

  /** The owner's node: its own mirror of the consortium's ledger, the owner deciding from it, served over mutual TLS. */
  private record Node(CountingSource source, MirroredLedger mirror, OrgNodeServer server) implements AutoCloseable {
    @Override
    public void close() {
      server.close();
      mirror.close();
    }
  }

  private Node node(KeyReleaseSetup s) {
    CountingSource source = new CountingSource(s.consortium.ledger);
    MirroredLedger mirror = new MirroredLedger(source, s.consortium.ledger.checkpoint().logKey(), Optional.of(dir.resolve("mirror.json")));
    var owner = s.consortium.keyService(s.owner, s.owner.kek, s.consortium.verifierTrustingSimulation(), mirror);
    var server = OrgNodeServer.start(new InetSocketAddress("127.0.0.1", 0), tlsOf(s.owner.credentials), new CaughtUpKeyService(mirror, owner),
        new PrintStream(nodeLog, true, StandardCharsets.UTF_8), Clock.systemUTC());
    return new Node(source, mirror, server);
  }

  /** What the coordinator staples at dispatch: its checkpoint now and the last entries. */
  private static Json.JObject staple(io.covenant.ledger.Ledger ledger) {
    SignedCheckpoint cp = ledger.checkpoint();
    return new LedgerSource.LogUpdate(cp, ledger.entries(Math.max(0, cp.treeSize() - 64), cp.treeSize())).toJson();
  }

  private NodeKeyService worker(Node node, KeyReleaseSetup s, Json.JObject staple) {
    var http = io.covenant.core.identity.MutualTlsHttp.client(tlsOf(OrgCredentials.generate(OrgId.of("tee-worker"))), Duration.ofSeconds(10));
    return new NodeKeyService(s.owner.org(), node.server().uri(), http, Duration.ofSeconds(10), Optional.of(staple));
  }

  private static List<AuditEvent> jobEvents(KeyReleaseSetup s) {
    return s.consortium.ledger.entriesForJob(s.job.id()).stream().map(e -> e.event().event()).toList();
  }

  @Test
  void anHonestStapleLetsTheOwnerDecideWithoutAskingTheCoordinator() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); Node node = node(s)) {
      s.consortium.authorize(s.job);
      Json.JObject staple = staple(s.consortium.ledger);
      node.source().reads.set(0);
      KeyReleaseRequest request = s.request();
      byte[] key = request.openReleasedKey(worker(node, s, staple).release(request), s.enclave).exportForWrapping();
      assertArrayEquals(s.owner.rawKeysForTests.get(s.dataset), key);
      assertEquals(0, node.source().reads.get(), "the staple covered the job, and the append's answer covered the release");
      assertTrue(jobEvents(s).stream().anyMatch(AuditEvent.KeyReleased.class::isInstance));
    }
  }

  @Test
  void aRevocationAfterTheStapleWithholdsTheKey() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); Node node = node(s)) {
      s.consortium.authorize(s.job);
      Json.JObject stale = staple(s.consortium.ledger);
      var policy = s.owner.policies.get(s.datasetId());
      // The owner revokes (from its console, say) after the job started: the staple the worker carries predates it.
      s.consortium.append(s.owner.credentials, new AuditEvent.PolicyRevoked(s.datasetId(), policy.id(), policy.hash(io.covenant.core.crypto.CryptoSuite.INTL), "consent withdrawn"));
      var e = assertThrows(KeyReleaseRefusedException.class, () -> worker(node, s, stale).release(s.request()));
      assertEquals(Reason.POLICY_REVOKED, e.reason());
      assertTrue(e.getMessage().contains("withholds") && e.getMessage().contains("did not leave"), e.getMessage());
      // The trail says what happened: the release entry, then the owner's refusal naming the revocation.
      List<AuditEvent> events = jobEvents(s);
      int released = indexOf(events, AuditEvent.KeyReleased.class);
      int refused = indexOf(events, AuditEvent.KeyReleaseRefused.class);
      assertTrue(released >= 0 && refused > released, events.toString());
      assertEquals("policy-revoked", ((AuditEvent.KeyReleaseRefused) events.get(refused)).reason());
    }
  }

  @Test
  void theJobsEndAfterTheStapleWithholdsTheKey() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); Node node = node(s)) {
      s.consortium.authorize(s.job);
      Json.JObject stale = staple(s.consortium.ledger);
      s.consortium.append(s.consortium.coordinator, new AuditEvent.JobFailed(s.job.id(), "compute", "another owner refused"));
      var e = assertThrows(KeyReleaseRefusedException.class, () -> worker(node, s, stale).release(s.request()));
      assertEquals(Reason.JOB_FINISHED, e.reason());
      assertTrue(e.getMessage().contains("the job ended at entry"), e.getMessage());
    }
  }

  @Test
  void aForgedStapleReleasesNothing() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); Node node = node(s)) {
      s.consortium.authorize(s.job);
      Json.JObject honest = staple(s.consortium.ledger);
      // The checkpoint claims a root the log key never signed for these entries.
      String text = honest.encode();
      String root = Json.parseObject(text).object("checkpoint").string("rootHash");
      String otherRoot = (root.charAt(0) == '0' ? "1" : "0") + root.substring(1);
      Json.JObject forged = Json.parseObject(text.replace(root, otherRoot));
      long before = s.consortium.ledger.size();
      var e = assertThrows(CovenantException.class, () -> worker(node, s, forged).release(s.request()));
      assertTrue(e.getMessage().contains("stapled to the key request") && e.getMessage().contains("fails verification"), e.getMessage());
      assertEquals(before, s.consortium.ledger.size(), "nothing was appended");
      assertFalse(nodeLog.toString(StandardCharsets.UTF_8).contains("released the key"));
    }
  }

  @Test
  void aStapleThatMissesTheJobMakesTheNodeSync() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); Node node = node(s)) {
      Json.JObject early = staple(s.consortium.ledger); // before the job was authorised
      s.consortium.authorize(s.job);
      node.source().reads.set(0);
      KeyReleaseRequest request = s.request();
      byte[] key = request.openReleasedKey(worker(node, s, early).release(request), s.enclave).exportForWrapping();
      assertArrayEquals(s.owner.rawKeysForTests.get(s.dataset), key);
      assertTrue(node.source().reads.get() > 0, "the node asked the coordinator itself");
    }
  }

  private static int indexOf(List<AuditEvent> events, Class<?> type) {
    for (int i = 0; i < events.size(); i++) if (type.isInstance(events.get(i))) return i;
    return -1;
  }
}
