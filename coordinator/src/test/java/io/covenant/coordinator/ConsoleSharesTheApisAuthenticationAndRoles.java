package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Signature;
import io.covenant.core.id.OrgId;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console over mutual TLS ({@code serve --tls}): its page is reached only with a member's certificate, its
 * session names the certificate's organisation and roles, its draft routes apply the API's role rules (a member drafts
 * only its own acts), and a draft's statement, signed with the member's own key as the browser does it, is accepted by
 * the API's ordinary route, so the console needs no signing path of its own. Its static files cannot be used to read
 * anything outside their folder.
 */
class ConsoleSharesTheApisAuthenticationAndRoles {
  static final OrgId A = TlsConsortium.HOSPITAL_A;
  static final OrgId B = TlsConsortium.HOSPITAL_B;
  static final OrgId X = TlsConsortium.INSURER_X;
  @TempDir static Path dir;
  static TlsConsortium consortium;
  static String server;

  @BeforeAll
  static void start() {
    consortium = new TlsConsortium(dir);
    server = consortium.base.substring(0, consortium.base.length() - "/api".length());
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  private static HttpResponse<String> get(OrgId as, String path) throws Exception {
    return TlsConsortium.get(consortium.member(as), server + path);
  }

  private static HttpResponse<String> post(OrgId as, String path, String body) throws Exception {
    return TlsConsortium.postJson(consortium.member(as), server + path, body);
  }

  private static String jobDraft(OrgId consumer) {
    return Json.obj("consumer", consumer.value(), "purpose", "risk-model", "engine", "tee",
        "datasets", List.of(consortium.versions.get(0).toString()), "sql", "SELECT COUNT(*) AS n FROM claims").encode();
  }

  @Test
  void thePageIsServedOnlyToAMemberAndLoadsNothingFromElsewhere() throws Exception {
    assertThrows(Exception.class, () -> TlsConsortium.get(TlsConsortium.anonymous(), server + "/console/"),
        "without a certificate the handshake refuses the page");
    HttpResponse<String> page = get(X, "/console/");
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
    assertTrue(page.body().contains("/console/assets/"), "the page loads its script from this server: " + page.body());
    assertTrue(!page.body().contains("http://") && !page.body().contains("https://"), "no other origin: " + page.body());
  }

  @Test
  void theSessionIsTheCertificatesOrganisationAndRoles() throws Exception {
    Json.JObject s = Json.parseObject(get(A, "/api/console/session").body());
    assertTrue(s.bool("tls"));
    assertEquals("hospital-a", s.string("org"));
    assertEquals(List.of("owner"), s.strings("roles"));
    assertEquals(consortium.deployment().ledger().checkpoint().logKey().hex(), s.string("logKey"));
  }

  @Test
  void aMemberDraftsOnlyItsOwnActs() throws Exception {
    HttpResponse<String> r = post(TlsConsortium.INSURER_Y, "/api/console/drafts/job", jobDraft(X));
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("insurer-x sends it itself"), r.body());
    r = post(B, "/api/console/drafts/revocation", "{\"dataset\": \"hospital-a/claims\", \"reason\": \"not mine\"}");
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("only its owner hospital-a"), r.body());
    r = post(A, "/api/console/drafts/job", jobDraft(A));
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(r.body().contains("does not carry the consumer role"), r.body());
  }

  @Test
  void aDraftSignedWithTheMembersOwnKeyIsAcceptedByTheApi() throws Exception {
    long before = consortium.deployment().ledger().size();
    Json.JObject draft = Json.parseObject(post(X, "/api/console/drafts/job", jobDraft(X)).body());
    assertEquals(before, consortium.deployment().ledger().size(), "a draft records nothing");
    Json.JObject statement = draft.object("statement");
    Signature sig = consortium.credentials(X).signingKey().sign(statement.canonicalBytes());
    String body = Json.obj("request", draft.object("request"), "submission", Json.obj("statement", statement, "sig", sig.hex())).encode();
    HttpResponse<String> r = post(X, "/api/jobs", body);
    assertEquals(201, r.statusCode(), r.body());
    // The same draft signed by another organisation's key is refused by the API, as any forged body is.
    Signature forged = consortium.credentials(TlsConsortium.INSURER_Y).signingKey().sign(statement.canonicalBytes());
    Json.JObject again = Json.parseObject(post(X, "/api/console/drafts/job", jobDraft(X)).body());
    r = post(X, "/api/jobs", Json.obj("request", again.object("request"), "submission",
        Json.obj("statement", again.object("statement"), "sig", forged.hex())).encode());
    assertEquals(409, r.statusCode(), r.body());
  }

  @Test
  void explainSaysWhichRuleDeniesWithoutRecordingAnything() throws Exception {
    long before = consortium.deployment().ledger().size();
    String draft = Json.obj("consumer", X.value(), "purpose", "risk-model", "engine", "tee",
        "datasets", List.of("hospital-a/claims"), "sql", "SELECT patient_id FROM claims").encode();
    Json.JObject x = Json.parseObject(post(X, "/api/console/explain", draft).body());
    assertTrue(!x.bool("permitted"), x.encode());
    assertTrue(x.encode().contains("patient_id"), x.encode());
    assertEquals(before, consortium.deployment().ledger().size());
  }

  @Test
  void consoleFilesStayInTheirFolder() throws Exception {
    for (String path : List.of("/console/..%2F..%2Fcovenant-api.yml", "/console/%2e%2e/META-INF/MANIFEST.MF", "/console/nothing.js")) {
      HttpResponse<String> r = get(X, path);
      assertTrue(r.statusCode() == 404 || r.statusCode() == 400, path + " -> " + r.statusCode() + " " + r.body());
      assertTrue(r.body().startsWith("{\"error\""), r.body());
    }
    assertTrue(URI.create(server).getScheme().equals("https"));
  }
}
