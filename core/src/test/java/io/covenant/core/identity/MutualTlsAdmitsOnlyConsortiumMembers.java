package io.covenant.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/** Mutual TLS between consortium processes: who gets through the handshake, and what the refused are told. */
class MutualTlsAdmitsOnlyConsortiumMembers {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, java.time.ZoneOffset.UTC);
  private static final OrgId NODE = OrgId.of("hospital-a");
  private static final OrgId CALLER = OrgId.of("tee-worker");

  private final CertificateAuthority ca = CertificateAuthority.create("Test consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
  private final ConsortiumRoot root = new ConsortiumRoot(ca.root());

  private MutualTls member(OrgId org, CertificateAuthority issuer, Instant issuedAt, Duration validity, Predicate<Digest> revoked) {
    SigningKey key = SigningKey.generate();
    OrgCertificate cert = issuer.issue(org, List.of("owner"), key.verifyingKey(), issuedAt, validity);
    return MutualTls.of(org, key, cert, new ConsortiumRoot(issuer.root()), revoked, CLOCK);
  }

  private MutualTls member(OrgId org) {
    return member(org, ca, NOW.minus(Duration.ofHours(1)), Duration.ofDays(10), d -> false);
  }

  /** Runs one handshake; returns the organisation each side saw, or throws the client's failure. */
  private static OrgId[] handshake(MutualTls server, MutualTls client) throws Exception {
    try (SSLServerSocket ss = (SSLServerSocket) server.context().getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setSSLParameters(server.parameters(true));
      CompletableFuture<OrgId> serverSaw = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.startHandshake();
          OrgId peer = MutualTls.peerOf(s.getSession());
          s.getOutputStream().write(1);
          s.getOutputStream().flush();
          return peer;
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      });
      try (SSLSocket c = (SSLSocket) client.context().getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
        c.setSSLParameters(client.parameters(false));
        c.setSoTimeout(5000);
        c.startHandshake();
        // TLS 1.3 finishes client authentication after the client's handshake returns: a read shows the server's verdict.
        int b = c.getInputStream().read();
        if (b != 1) throw new SSLException("the server closed the connection");
        OrgId clientSaw = MutualTls.peerOf(c.getSession());
        assertEquals(MutualTls.PROTOCOL, c.getSession().getProtocol());
        return new OrgId[] {serverSaw.get(5, TimeUnit.SECONDS), clientSaw};
      }
    }
  }

  @Test
  void membersSeeEachOthersOrganisation() throws Exception {
    OrgId[] saw = handshake(member(NODE), member(CALLER));
    assertEquals(CALLER, saw[0]);
    assertEquals(NODE, saw[1]);
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    CertificateAuthority foreign = CertificateAuthority.create("Another consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
    SigningKey key = SigningKey.generate();
    OrgCertificate cert = foreign.issue(CALLER, List.of("owner"), key.verifyingKey(), NOW.minus(Duration.ofHours(1)), Duration.ofDays(10));
    // The intruder trusts our root (it may have read it anywhere) but its own certificate is not ours.
    MutualTls intruder = MutualTls.of(CALLER, key, cert, new ConsortiumRoot(foreign.root()), d -> false, CLOCK);
    assertThrows(Exception.class, () -> handshake(member(NODE), intruder));
  }

  @Test
  void anExpiredCertificateCannotEvenBeUsed() {
    var e = assertThrows(RuntimeException.class,
        () -> member(CALLER, ca, NOW.minus(Duration.ofDays(20)), Duration.ofDays(2), d -> false));
    assertTrue(e.getMessage().contains("expired"), e.getMessage());
  }

  @Test
  void aRevokedMemberIsRefusedByTheServer() throws Exception {
    MutualTls caller = member(CALLER);
    Set<Digest> revoked = Set.of(caller.certificate().fingerprint());
    MutualTls node = member(NODE, ca, NOW.minus(Duration.ofHours(1)), Duration.ofDays(10), revoked::contains);
    assertThrows(Exception.class, () -> handshake(node, caller));
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    MutualTls node = member(NODE);
    try (SSLServerSocket ss = (SSLServerSocket) node.context().getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ss.setSSLParameters(node.parameters(true));
      CompletableFuture<Void> accept = CompletableFuture.runAsync(() -> {
        try (SSLSocket s = (SSLSocket) ss.accept()) {
          s.startHandshake();
        } catch (IOException ignored) {
          // refused, as it should be
        }
      });
      javax.net.ssl.SSLContext anonymous = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
      anonymous.init(null, new javax.net.ssl.TrustManager[] {new TrustingEverything()}, null);
      assertThrows(IOException.class, () -> {
        try (SSLSocket c = (SSLSocket) anonymous.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), ss.getLocalPort())) {
          c.setSoTimeout(5000);
          c.startHandshake();
          if (c.getInputStream().read() < 0) throw new SSLException("closed");
        }
      });
      accept.get(5, TimeUnit.SECONDS);
    }
  }

  private static final class TrustingEverything implements javax.net.ssl.X509TrustManager {
    @Override public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
    @Override public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
    @Override public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
  }
}
