package io.covenant.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Mutual TLS in a national-suite (SM2) consortium: each side presents an Ed25519 transport certificate its SM2 key
 * signed, carrying its SM2 consortium certificate ({@link TransportCredential}); who gets through, and who does not.
 */
class NationalSuitePeersSpeakMutualTls {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
  private static final OrgId NODE = OrgId.of("hospital-a");
  private static final OrgId CALLER = OrgId.of("tee-worker");

  private final CertificateAuthority ca = CertificateAuthority.create("SM consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30), CryptoSuite.SM);
  private final ConsortiumRoot root = new ConsortiumRoot(ca.root());

  private record Member(SigningKey key, OrgCertificate certificate, MutualTls tls) {}

  private Member member(OrgId org, CertificateAuthority issuer, Predicate<Digest> revoked) {
    SigningKey key = issuer.suite().generateSigningKey();
    OrgCertificate cert = issuer.issue(org, List.of("owner"), key.verifyingKey(), NOW.minus(Duration.ofHours(1)), Duration.ofDays(10));
    return new Member(key, cert, MutualTls.of(org, key, cert, new ConsortiumRoot(issuer.root()), revoked, CLOCK));
  }

  private Member member(OrgId org) {
    return member(org, ca, d -> false);
  }

  /** Runs one handshake; returns what each side saw (the peer's organisation and certificate), or throws the failure. */
  private static OrgCertificate[] handshake(MutualTls server, MutualTls client) throws Exception {
    // A thread of its own per handshake: a refused handshake's server side may wait out its timeout meanwhile.
    ExecutorService serverThread = Executors.newSingleThreadExecutor();
    try (SSLServerSocket ss = (SSLServerSocket) server.context().getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setSSLParameters(server.parameters(true));
      // Completed before the server's socket closes: closing waits for the client's close_notify, which comes only later.
      CompletableFuture<OrgCertificate> serverSaw = new CompletableFuture<>();
      serverThread.execute(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.setSoTimeout(5000);
          s.startHandshake();
          assertEquals(client.self(), MutualTls.peerOf(s.getSession()));
          serverSaw.complete(MutualTls.peerCertificate(s.getSession()));
          s.getOutputStream().write(1);
          s.getOutputStream().flush();
        } catch (IOException | RuntimeException | AssertionError e) {
          serverSaw.completeExceptionally(e);
        }
      });
      try (SSLSocket c = (SSLSocket) client.context().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        c.setSSLParameters(client.parameters(false));
        c.setSoTimeout(5000);
        c.startHandshake();
        // TLS 1.3 finishes client authentication after the client's handshake returns: a read shows the server's verdict.
        if (c.getInputStream().read() != 1) throw new SSLException("the server closed the connection");
        assertEquals(MutualTls.PROTOCOL, c.getSession().getProtocol());
        assertEquals(server.self(), MutualTls.peerOf(c.getSession()));
        return new OrgCertificate[] {serverSaw.get(5, TimeUnit.SECONDS), MutualTls.peerCertificate(c.getSession())};
      }
    } finally {
      serverThread.shutdownNow();
    }
  }

  @Test
  void membersSeeEachOthersSm2Certificate() throws Exception {
    Member node = member(NODE);
    Member caller = member(CALLER);
    OrgCertificate[] saw = handshake(node.tls(), caller.tls());
    // Each side ends with the peer's SM2 consortium certificate, not the transport certificate that carried it.
    assertEquals(caller.certificate(), saw[0]);
    assertEquals(node.certificate(), saw[1]);
    assertEquals(CryptoSuite.SM, saw[0].subjectKey().orElseThrow().suite());
    assertTrue(MutualTls.transportOf(CryptoSuite.SM).contains("RFC 8998"));
  }

  @Test
  void aMemberOfAnotherSm2ConsortiumIsRefused() {
    CertificateAuthority foreign = CertificateAuthority.create("Another SM consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30), CryptoSuite.SM);
    assertThrows(Exception.class, () -> handshake(member(NODE).tls(), member(CALLER, foreign, d -> false).tls()));
  }

  @Test
  void anInternationalMemberCannotJoinANationalConsortium() {
    CertificateAuthority intl = CertificateAuthority.create("SM consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
    assertThrows(Exception.class, () -> handshake(member(NODE).tls(), member(CALLER, intl, d -> false).tls()));
  }

  @Test
  void aRevokedMemberIsRefused() {
    Member caller = member(CALLER);
    Set<Digest> revoked = Set.of(caller.certificate().fingerprint());
    assertThrows(Exception.class, () -> handshake(member(NODE, ca, revoked::contains).tls(), caller.tls()));
  }

  @Test
  void aTransportCertificateSignedByAnotherMembersKeyIsRefused() throws Exception {
    // Mallory, a member, carries hospital-a's (public) SM2 certificate in a transport certificate it signs with its own SM2 key.
    Member victim = member(OrgId.of("hospital-b"));
    Member mallory = member(CALLER);
    SigningKey transport = SigningKey.generate();
    OrgCertificate forged = TransportCredential.issue(mallory.key(), victim.certificate(), transport, NOW);
    MutualTls impostor = MutualTls.presenting(victim.certificate().org().orElseThrow(), victim.certificate(), forged, transport, root, CLOCK);
    assertTrue(TransportCredential.check(forged, root, NOW) instanceof TransportCredential.Checked.Refused r
        && r.problem().contains("not signed by the SM2 key"));
    assertThrows(Exception.class, () -> handshake(member(NODE).tls(), impostor));
    // The same construction signed by the right key is accepted: the refusal above is the signature's doing.
    OrgCertificate genuine = TransportCredential.issue(victim.key(), victim.certificate(), transport, NOW);
    assertTrue(TransportCredential.check(genuine, root, NOW) instanceof TransportCredential.Checked.Accepted);
  }

  @Test
  void aTransportCertificateWithoutItsSm2CertificateIsRefused() throws Exception {
    Member caller = member(CALLER);
    // An Ed25519 certificate straight from a root of the other suite carries no SM2 certificate: refused by name.
    CertificateAuthority intl = CertificateAuthority.create("SM consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
    SigningKey key = SigningKey.generate();
    OrgCertificate plain = intl.issue(CALLER, List.of("owner"), key.verifyingKey(), NOW.minus(Duration.ofHours(1)), Duration.ofDays(10));
    assertTrue(TransportCredential.check(plain, root, NOW) instanceof TransportCredential.Checked.Refused r && r.problem().contains("carries no consortium certificate"));
    assertTrue(TransportCredential.check(TransportCredential.issue(caller.key(), caller.certificate(), key, NOW), root, NOW.plus(Duration.ofDays(20)))
        instanceof TransportCredential.Checked.Refused);
  }
}
