package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --tls}: the API answers a consortium member that presents its certificate, over TLS 1.3 with the
 * operator's certificate; it refuses, in the handshake, a caller with no certificate, one whose certificate another CA
 * issued (in a member's name), and a member after the CA revoked it (ORG_REVOKED) — and a connection the revoked
 * member opened before is refused on its next request. Plain HTTP on the port gets nothing.
 */
class ServeTlsAdmitsOnlyConsortiumMembers {
  @TempDir static Path dir;
  static TlsConsortium consortium;

  @BeforeAll
  static void start() {
    consortium = new TlsConsortium(dir);
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  @Test
  void aMemberIsServedOverTls13WithTheOperatorsCertificate() throws Exception {
    assertTrue(consortium.base.startsWith("https://"), consortium.base);
    HttpResponse<String> r = TlsConsortium.get(consortium.member(TlsConsortium.AUDITOR), consortium.base + "/health");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("TLSv1.3", r.sslSession().orElseThrow().getProtocol());
    var serverCert = io.covenant.core.identity.OrgCertificate.fromDer(r.sslSession().orElseThrow().getPeerCertificates()[0].getEncoded());
    assertEquals("covenant-operator", serverCert.subjectName());
    assertTrue(consortium.root.problemWith(serverCert, serverCert.org().orElseThrow(), serverCert.subjectKey().orElseThrow(), java.time.Instant.now()).isEmpty());
  }

  @Test
  void noCertificateIsRefused() throws Exception {
    assertRefused(TlsConsortium.anonymous());
  }

  @Test
  void aCertificateFromAnotherCaIsRefusedEvenInAMembersName() throws Exception {
    assertRefused(consortium.foreign(TlsConsortium.HOSPITAL_A));
  }

  @Test
  void plainHttpOnTheTlsPortGetsNothing() {
    String plain = consortium.base.replace("https://", "http://");
    assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(plain + "/health")).GET().build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aRevokedMemberIsRefusedOnNewAndOpenConnections() throws Exception {
    HttpClient before = consortium.rawMember(TlsConsortium.INSURER_Y);
    assertEquals(200, TlsConsortium.get(before, consortium.base + "/datasets").statusCode(), "served while in good standing");
    long size = consortium.deployment().ledger().size();
    consortium.deployment().revokeOrganisation(TlsConsortium.INSURER_Y, "key compromised", consortium.ca);
    assertEquals(size + 1, consortium.deployment().ledger().size());
    // The connection it opened before: the request is refused, naming the revocation.
    HttpResponse<String> open = TlsConsortium.get(before, consortium.base + "/datasets");
    assertEquals(403, open.statusCode(), open.body());
    assertTrue(Json.parseObject(open.body()).string("error").contains("revoked"), open.body());
    // A new connection is refused in the handshake.
    assertRefused(consortium.rawMember(TlsConsortium.INSURER_Y));
  }

  private static void assertRefused(HttpClient client) {
    IOException e = assertThrows(IOException.class, () -> TlsConsortium.get(client, consortium.base + "/health"),
        "the handshake must fail: no answer at all, not even an error body");
    assertNotNull(e);
  }
}
