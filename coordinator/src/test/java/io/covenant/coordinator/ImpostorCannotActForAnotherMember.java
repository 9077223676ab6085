package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.client.ApiException;
import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.JobOutcomeView;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.codec.Json;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.policy.Policy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A valid member's certificate trying another member's action, over mutual TLS. hospital-b holds copies of statements
 * hospital-a signed (as anyone reading the ledger or the network could) and sends them as its own request: an owner's
 * event, a dataset registration, a policy, a revocation, an approval. insurer-y sends insurer-x's signed job. A
 * consumer tries an owner's action on a dataset in its own name, and an auditor submits a job. Each is refused with
 * 403 naming who may, and nothing is recorded; the rightful member's same request then succeeds.
 */
class ImpostorCannotActForAnotherMember {
  static final OrgId A = TlsConsortium.HOSPITAL_A;
  static final OrgId B = TlsConsortium.HOSPITAL_B;
  @TempDir static Path dir;
  static TlsConsortium consortium;
  static DatasetVersion claimsA;
  static String policyA;

  @BeforeAll
  static void start() {
    consortium = new TlsConsortium(dir);
    claimsA = consortium.versions.get(0);
    // hospital-a holds every job on its claims for its approval.
    policyA = SmallFederation.exactPolicy(A, "approval", Json.obj("required", true));
    consortium.deployment().owner(A).publishPolicy(policyA);
  }

  @AfterAll
  static void stop() {
    consortium.close();
  }

  private static String url(String path) {
    return consortium.base + path;
  }

  private static long ledgerSize() {
    return consortium.deployment().ledger().size();
  }

  private static void forbidden(Supplier<HttpResponse<String>> call, String mention) {
    long before = ledgerSize();
    HttpResponse<String> r = call.get();
    assertEquals(403, r.statusCode(), r.body());
    assertTrue(Json.parseObject(r.body()).string("error").contains(mention), r.body());
    assertEquals(before, ledgerSize(), "nothing recorded for a refused request");
  }

  private static HttpResponse<String> post(OrgId as, String path, String body) {
    try {
      return TlsConsortium.postJson(consortium.member(as), url(path), body);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static SignedEvent signedBy(OrgId org, AuditEvent e) {
    var c = consortium.credentials(org);
    return SignedEvent.sign(e, org, c.signingKey(), Instant.now());
  }

  @Test
  void anotherOwnersSignedEventCannotBeSentByAMember() {
    Policy p = Policy.parse(policyA);
    SignedEvent revocation = signedBy(A, new AuditEvent.PolicyRevoked(p.dataset(), p.id(), p.hash(io.covenant.core.crypto.CryptoSuite.INTL), "sent by someone else"));
    forbidden(() -> post(B, "/ledger/events", revocation.toJson().encode()), "hospital-a sends it itself");
  }

  @Test
  void anotherOwnersCatalogueActionsAreRefused() {
    var record = consortium.deployment().store().dataset(claimsA).orElseThrow();
    String registration = Json.obj("version", claimsA.toString(), "manifestCid", record.manifest().toString(), "rows", record.rows(),
        "shards", record.shards(), "schema", SyntheticClaims.SCHEMA.toJson()).encode();
    forbidden(() -> post(B, "/datasets", registration), "only its owner hospital-a");
    forbidden(() -> post(B, "/policies", policyA), "only its owner hospital-a");
    forbidden(() -> post(B, "/policies/revocations", "{\"dataset\": \"hospital-a/claims\"}"), "only its owner hospital-a");
    assertEquals("in-force", CoordinatorClient.all(CoordinatorClient.of(URI.create(consortium.base), consortium.member(B))::policies).stream()
        .filter(x -> x.dataset().equals(new DatasetId(A, "claims"))).reduce((x, y) -> y).orElseThrow().status());
    // The owner itself, the same request: accepted (already registered exactly so: 200).
    assertEquals(200, post(A, "/datasets", registration).statusCode());
  }

  @Test
  void aConsumerIsNotAnOwnerEvenOfADatasetInItsOwnName() {
    var record = consortium.deployment().store().dataset(claimsA).orElseThrow();
    String registration = Json.obj("version", "insurer-x/claims@1", "manifestCid", record.manifest().toString(), "rows", record.rows(),
        "shards", record.shards(), "schema", SyntheticClaims.SCHEMA.toJson()).encode();
    forbidden(() -> post(TlsConsortium.INSURER_X, "/datasets", registration), "does not carry the owner role");
  }

  @Test
  void approvalsAndSubmissionsTravelOnlyWithTheirSigner() {
    var x = consortium.credentials(TlsConsortium.INSURER_X);
    JobRequest request = new JobRequest(JobId.random(), TlsConsortium.INSURER_X, List.of(claimsA), Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
    String submission = SignedSubmission.sign(request, x, Instant.now()).toJson().encode();
    forbidden(() -> post(TlsConsortium.INSURER_Y, "/jobs", submission), "insurer-x sends it itself");
    assertEquals(404, consortium.deployment().coordinator().job(request.id()).map(j -> 200).orElse(404), "no job recorded");
    forbidden(() -> post(TlsConsortium.AUDITOR, "/jobs",
        SignedSubmission.sign(new JobRequest(JobId.random(), TlsConsortium.AUDITOR, List.of(claimsA), Engine.TEE, new Purpose("risk-model"),
            new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL)), consortium.credentials(TlsConsortium.AUDITOR), Instant.now()).toJson().encode()),
        "does not carry the consumer role");

    HttpResponse<String> submitted = post(TlsConsortium.INSURER_X, "/jobs", submission);
    assertEquals(201, submitted.statusCode(), submitted.body());
    assertEquals("AWAITING_APPROVAL", Json.parseObject(submitted.body()).string("state"), submitted.body());

    String approval = signedBy(A, new AuditEvent.ApprovalGiven(request.id(), claimsA.dataset(), true, "approved by hospital-a")).toJson().encode();
    forbidden(() -> post(B, "/jobs/" + request.id() + "/approvals", approval), "hospital-a sends it itself");
    forbidden(() -> post(TlsConsortium.INSURER_X, "/jobs/" + request.id() + "/approvals", approval), "hospital-a sends it itself");
    // hospital-b's own signed approval of hospital-a's dataset: signer and caller agree, but it is not the owner.
    String ownApproval = signedBy(B, new AuditEvent.ApprovalGiven(request.id(), claimsA.dataset(), true, "not mine")).toJson().encode();
    forbidden(() -> post(B, "/jobs/" + request.id() + "/approvals", ownApproval), "only its owner hospital-a");

    HttpResponse<String> decided = post(A, "/jobs/" + request.id() + "/approvals", approval);
    assertEquals(200, decided.statusCode(), decided.body());
    assertEquals("COMMITTED", Json.parseObject(decided.body()).string("state"), decided.body());
  }
}
