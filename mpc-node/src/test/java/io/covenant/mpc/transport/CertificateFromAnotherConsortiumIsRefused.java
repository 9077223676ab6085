package io.covenant.mpc.transport;

import static io.covenant.mpc.transport.TlsLinkFixture.A;
import static io.covenant.mpc.transport.TlsLinkFixture.B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.JobId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import java.io.ByteArrayInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * A node whose certificate another CA issued, even for the right organisation's name, gets no link and no seat in the
 * ring, whichever side it is on.
 */
class CertificateFromAnotherConsortiumIsRefused {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  @Test
  void anOutsiderDiallingAMemberIsRefusedAndNeverAdmitted() {
    JobId job = JobId.random();
    MutualTls outsider = TlsLinkFixture.CONSORTIUM.outsider(B);
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, TIMEOUT)) {
      CompletableFuture<PeerLink> accepted = TlsLinkFixture.acceptAsync(atA, job, B);
      var e = assertThrows(PeerLinkException.class, () -> TlsPeerLinks.connect(outsider, atA.address(), A, job, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertTrue(e.getMessage().startsWith("the TLS handshake between insurer-b and hospital-a at " + atA.address() + " failed"), e.getMessage());
      var missing = assertInstanceOf(PeerLinkException.class, TlsLinkFixture.failure(accepted));
      assertEquals(PeerLinkException.Reason.UNREACHABLE, missing.reason());
      assertTrue(missing.getMessage().startsWith("insurer-b did not connect to hospital-a for job " + job), missing.getMessage());
    }
  }

  @Test
  void theListenerRefusesAForeignCertificateEvenFromAClientThatTrustsAnyServer() throws Exception {
    // Unlike a MutualTls identity, this client accepts any server, so the refusal can only come from the listener.
    CertificateAuthority foreign = CertificateAuthority.create("Another consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
    SigningKey key = SigningKey.generate();
    OrgCertificate cert = foreign.issue(B, List.of("owner"), key.verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    SSLContext permissive = SSLContext.getInstance("TLSv1.3");
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("k", ed25519(key), new char[0], new X509Certificate[] {x509(cert)});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, new char[0]);
    permissive.init(kmf.getKeyManagers(), new TrustManager[] {new TrustingEveryServer()}, null);

    JobId job = JobId.random();
    try (TlsPeerLinks.Listener atA = TlsLinkFixture.listen(A, TIMEOUT)) {
      CompletableFuture<PeerLink> accepted = TlsLinkFixture.acceptAsync(atA, job, B);
      assertThrows(IOException.class, () -> {
        try (SSLSocket s = (SSLSocket) permissive.getSocketFactory().createSocket(atA.address().getAddress(), atA.address().getPort())) {
          s.setSoTimeout(5000);
          s.startHandshake();
          // TLS 1.3: the server judges the client's certificate after the client's handshake returned; a read shows it.
          // A well-formed hello for this job, as TlsPeerLinks.connect sends it: only the certificate is wrong.
          java.io.ByteArrayOutputStream hello = new java.io.ByteArrayOutputStream();
          DataOutputStream h = new DataOutputStream(hello);
          h.writeLong(0x436f765065657231L);
          h.writeUTF(job.value());
          h.writeUTF(A.value());
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeInt(hello.size());
          out.write(hello.toByteArray());
          out.flush();
          if (s.getInputStream().read() < 0) throw new EOFException("the listener closed the connection");
        }
      });
      var missing = assertInstanceOf(PeerLinkException.class, TlsLinkFixture.failure(accepted));
      assertEquals(PeerLinkException.Reason.UNREACHABLE, missing.reason());
    }
  }

  private static PrivateKey ed25519(SigningKey key) throws Exception {
    byte[] prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    byte[] pkcs8 = Arrays.copyOf(prefix, prefix.length + 32);
    System.arraycopy(key.seedForKeystore(), 0, pkcs8, prefix.length, 32);
    return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
  }

  private static X509Certificate x509(OrgCertificate cert) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(cert.der()));
  }

  private static final class TrustingEveryServer implements X509TrustManager {
    @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
    @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
    @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
  }

  @Test
  void aMemberDiallingAnOutsiderRefusesIt() {
    JobId job = JobId.random();
    try (TlsPeerLinks.Listener atOutsider = TlsPeerLinks.listen(TlsLinkFixture.CONSORTIUM.outsider(A), Networks.ephemeral(), TIMEOUT)) {
      Networks.async(() -> atOutsider.accept(job, B));
      var e = assertThrows(PeerLinkException.class, () -> TlsLinkFixture.connect(B, atOutsider.address(), A, job, TIMEOUT));
      assertEquals(PeerLinkException.Reason.REFUSED, e.reason());
      assertEquals(A, e.peer());
      assertTrue(e.getMessage().contains("one of the two certificates is not from this consortium"), e.getMessage());
    }
  }

  @Test
  void anOutsiderInARingSeatIsRefusedByItsNeighbours() {
    Committee committee = Networks.COMMITTEE;
    List<TcpPartyChannel.Listener> listeners = List.of(
        TcpPartyChannel.listen(Party.P0, committee, Networks.ephemeral(), TIMEOUT, TlsLinkFixture.CONSORTIUM.member(A)),
        TcpPartyChannel.listen(Party.P1, committee, Networks.ephemeral(), TIMEOUT, TlsLinkFixture.CONSORTIUM.outsider(B)),
        TcpPartyChannel.listen(Party.P2, committee, Networks.ephemeral(), TIMEOUT, TlsLinkFixture.CONSORTIUM.member(committee.member(Party.P2))));
    List<CompletableFuture<PartyChannel>> parties = new ArrayList<>();
    for (Party p : Party.all()) {
      var next = listeners.get(p.next().index()).address();
      parties.add(Networks.async(() -> listeners.get(p.index()).connect(next)));
    }
    // Party 0 dials the outsider and refuses it.
    var e = assertInstanceOf(PeerUnavailableException.class, TlsLinkFixture.failure(parties.get(0)));
    assertEquals(Party.P1, e.peer(), e.getMessage());
    assertEquals(PeerUnavailableException.Reason.REFUSED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().startsWith("the TLS handshake between party 0 (hospital-a) and party 1 (insurer-b)"), e.getMessage());
    // Party 2 accepts the outsider and refuses it too, unless its own dial to party 0 fails first: party 0, having
    // refused the outsider, closes its endpoint, and which of party 2's two handshakes ends first is a race.
    var e2 = assertInstanceOf(PeerUnavailableException.class, TlsLinkFixture.failure(parties.get(2)));
    assertTrue(e2.peer().equals(Party.P1) || e2.peer().equals(Party.P0), e2.getMessage());
    if (e2.peer().equals(Party.P1)) {
      assertEquals(PeerUnavailableException.Reason.REFUSED, e2.reason(), e2.getMessage());
      assertTrue(e2.getMessage().startsWith("the TLS handshake between party 2 (hospital-c) and party 1 (insurer-b)"), e2.getMessage());
    }
    TlsLinkFixture.failure(parties.get(1));
  }
}
