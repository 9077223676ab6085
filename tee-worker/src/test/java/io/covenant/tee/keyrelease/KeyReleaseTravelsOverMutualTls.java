package io.covenant.tee.keyrelease;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyServiceUnavailableException;
import io.covenant.core.keyrelease.NodeKeyService;
import io.covenant.node.OrgNodeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner's key service in its own node, asked by the enclave over mutual TLS: the key arrives sealed to the
 * enclave, refusals arrive with their rule, a node that is down or is not the owner's is named, and the node's log
 * names what it released without holding any key.
 */
class KeyReleaseTravelsOverMutualTls {
  @TempDir Path dir;
  private final CertificateAuthority ca = CertificateAuthority.create("Test consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
  private final ConsortiumRoot root = new ConsortiumRoot(ca.root());
  private final ByteArrayOutputStream nodeLog = new ByteArrayOutputStream();

  private MutualTls tlsOf(OrgCredentials org) {
    var cert = ca.issue(org.org(), List.of("owner"), org.signingKey().verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    return MutualTls.of(org.org(), org.signingKey(), cert, root, d -> false, Clock.systemUTC());
  }

  private OrgNodeServer node(KeyReleaseSetup s, MutualTls tls) {
    return OrgNodeServer.start(new InetSocketAddress("127.0.0.1", 0), tls, s.consortium.keyService(s.owner),
        new PrintStream(nodeLog, true, StandardCharsets.UTF_8), Clock.systemUTC());
  }

  private MutualTls worker() {
    return tlsOf(OrgCredentials.generate(OrgId.of("tee-worker")));
  }

  @Test
  void theEnclaveReceivesTheKeyFromTheOwnersNode() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); OrgNodeServer node = node(s, tlsOf(s.owner.credentials))) {
      s.consortium.authorize(s.job);
      KeyReleaseRequest request = s.request();
      var keys = new NodeKeyService(s.owner.org(), node.uri(), worker(), Duration.ofSeconds(10));
      DataKey key = request.openReleasedKey(keys.release(request), s.enclave);
      assertArrayEquals(s.owner.rawKeysForTests.get(s.dataset), key.exportForWrapping());
      String log = nodeLog.toString(StandardCharsets.UTF_8);
      assertTrue(log.contains("released the key of hospital-a/claims@1"), log);
      assertTrue(log.contains("asked by tee-worker"), log);
    }
  }

  @Test
  void aRefusalArrivesWithItsRule() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); OrgNodeServer node = node(s, tlsOf(s.owner.credentials))) {
      // Not authorised on the ledger: the owner's node refuses on its own.
      var keys = new NodeKeyService(s.owner.org(), node.uri(), worker(), Duration.ofSeconds(10));
      var e = assertThrows(KeyReleaseRefusedException.class, () -> keys.release(s.request()));
      assertEquals(KeyReleaseRefusedException.Reason.NOT_AUTHORIZED, e.reason());
    }
  }

  @Test
  void aNodeThatIsNotTheOwnersIsNotAsked() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir);
        OrgNodeServer impostor = node(s, tlsOf(OrgCredentials.generate(OrgId.of("hospital-b"))))) {
      s.consortium.authorize(s.job);
      var keys = new NodeKeyService(s.owner.org(), impostor.uri(), worker(), Duration.ofSeconds(10));
      var e = assertThrows(KeyServiceUnavailableException.class, () -> keys.release(s.request()));
      assertEquals(s.owner.org(), e.owner());
      assertTrue(e.getMessage().contains("presented the certificate of hospital-b"), e.getMessage());
    }
  }

  @Test
  void aSharedClientStillChecksEveryAnswerComesFromTheOwner() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); OrgNodeServer node = node(s, tlsOf(s.owner.credentials));
        OrgNodeServer impostor = node(s, tlsOf(OrgCredentials.generate(OrgId.of("hospital-b"))))) {
      s.consortium.authorize(s.job);
      // One client, as the worker keeps between jobs: its pooled connection to the genuine node proves nothing about another address.
      var shared = io.covenant.core.identity.MutualTlsHttp.client(worker(), Duration.ofSeconds(10));
      var genuine = new NodeKeyService(s.owner.org(), node.uri(), shared, Duration.ofSeconds(10));
      KeyReleaseRequest first = s.request();
      assertArrayEquals(s.owner.rawKeysForTests.get(s.dataset), first.openReleasedKey(genuine.release(first), s.enclave).exportForWrapping());
      var wrongAddress = new NodeKeyService(s.owner.org(), impostor.uri(), shared, Duration.ofSeconds(10));
      var e = assertThrows(KeyServiceUnavailableException.class, () -> wrongAddress.release(s.request()));
      assertTrue(e.getMessage().contains("presented the certificate of hospital-b"), e.getMessage());
      KeyReleaseRequest again = s.request();
      assertArrayEquals(s.owner.rawKeysForTests.get(s.dataset), again.openReleasedKey(genuine.release(again), s.enclave).exportForWrapping());
    }
  }

  @Test
  void aNodeThatIsDownIsNamed() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      URI gone;
      try (OrgNodeServer node = node(s, tlsOf(s.owner.credentials))) {
        gone = node.uri();
      }
      var keys = new NodeKeyService(s.owner.org(), gone, worker(), Duration.ofSeconds(5));
      var e = assertThrows(KeyServiceUnavailableException.class, () -> keys.release(s.request()));
      assertTrue(e.getMessage().contains("the node of hospital-a at " + gone + " could not be reached"), e.getMessage());
      assertTrue(e.getMessage().contains("retry the job"), e.getMessage());
    }
  }

  @Test
  void aCallerFromOutsideTheConsortiumGetsNothing() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir); OrgNodeServer node = node(s, tlsOf(s.owner.credentials))) {
      s.consortium.authorize(s.job);
      CertificateAuthority other = CertificateAuthority.create("Elsewhere", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
      OrgCredentials stranger = OrgCredentials.generate(OrgId.of("tee-worker"));
      var cert = other.issue(stranger.org(), List.of("owner"), stranger.signingKey().verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
      // The stranger trusts our root, so it would accept the node; the node does not accept it.
      MutualTls strangerTls = MutualTls.of(stranger.org(), stranger.signingKey(), cert, new ConsortiumRoot(other.root()), d -> false, Clock.systemUTC());
      var keys = new NodeKeyService(s.owner.org(), node.uri(), strangerTls, Duration.ofSeconds(5));
      assertThrows(KeyServiceUnavailableException.class, () -> keys.release(s.request()));
      assertTrue(!nodeLog.toString(StandardCharsets.UTF_8).contains("released"), "nothing was released");
    }
  }
}
