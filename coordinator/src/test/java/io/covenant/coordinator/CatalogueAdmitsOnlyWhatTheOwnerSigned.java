package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.client.ApiException;
import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.core.schema.DatasetSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's catalogue cannot be made to say more than an owner signed: a registration the ledger does not
 * show, one whose rows, shards, manifest or schema differ from the owner's DATASET_PUBLISHED, an owner's event about
 * another owner's dataset, a forged signature, an old policy sent again to make it current, a revocation nobody
 * signed. Each is refused naming why (422; 400 for malformed JSON; 409 for a second, different registration of a
 * version), and neither the catalogue nor the ledger changes.
 */
class CatalogueAdmitsOnlyWhatTheOwnerSigned {
  static final OrgId A = OrgId.of("hospital-a");
  static final OrgId B = OrgId.of("hospital-b");
  @TempDir static Path dir;
  static ApiServer api;
  static NodeOverApi a;
  static NodeOverApi b;

  @BeforeAll
  static void start() {
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      d.createOrganisation(A, "Hospital A", Set.of(OrgRole.OWNER));
      d.createOrganisation(B, "Hospital B", Set.of(OrgRole.OWNER));
    }
    api = new ApiServer(dir);
    CoordinatorClient client = CoordinatorClient.of(URI.create(api.base), HttpClient.newHttpClient());
    a = new NodeOverApi(client, LocalKeys.of(dir, A));
    b = new NodeOverApi(client, LocalKeys.of(dir, B));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static long ledgerSize() {
    return Json.parseObject(api.get("/health").body()).number("ledgerSize");
  }

  private static String refused(int status, Runnable call) {
    ApiException e = assertThrows(ApiException.class, call::run);
    assertEquals(status, e.status(), e.getMessage());
    return e.getMessage();
  }

  private static String registration(DatasetVersion v, String manifest, long rows, long shards, DatasetSchema schema) {
    return Json.obj("version", v.toString(), "manifestCid", manifest, "rows", rows, "shards", shards, "schema", schema.toJson()).encode();
  }

  @Test
  void aRegistrationIsRefusedUnlessTheLedgerShowsExactlyIt() {
    var p = a.encrypt("claims", 1, 300, 1);
    var m = p.manifest().manifest();
    String none = refused(422, () -> a.client().registerDataset(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), m.schema()));
    assertTrue(none.contains("no DATASET_PUBLISHED of hospital-a/claims@1"), none);

    a.client().appendEvent(a.published(p));
    String rows = refused(422, () -> a.client().registerDataset(m.dataset(), p.manifestCid(), m.rows() + 1, m.shards().size(), m.schema()));
    assertTrue(rows.contains("300 rows, not 301"), rows);
    String shards = refused(422, () -> a.client().registerDataset(m.dataset(), p.manifestCid(), m.rows(), m.shards().size() + 1, m.schema()));
    assertTrue(shards.contains("shards"), shards);
    var other = a.encrypt("claims", 1, 300, 2).manifestCid();
    String manifest = refused(422, () -> a.client().registerDataset(m.dataset(), other, m.rows(), m.shards().size(), m.schema()));
    assertTrue(manifest.contains("manifest " + p.manifestCid()), manifest);
    DatasetSchema fewer = new DatasetSchema(SyntheticClaims.SCHEMA.columns().subList(1, SyntheticClaims.SCHEMA.columns().size()));
    String schema = refused(422, () -> a.client().registerDataset(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), fewer));
    assertTrue(schema.contains("schema hash"), schema);
    assertTrue(a.client().datasets(50, java.util.Optional.empty()).items().stream().noneMatch(d -> d.dataset().equals(m.dataset())),
        "nothing registered by a refused request");

    var bad = api.postJson("/datasets", "{\"version\": \"hospital-a/claims@1\", \"manifestCid\": ");
    assertEquals(400, bad.statusCode(), bad.body());

    a.client().registerDataset(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), m.schema());
    // The owner signed a second DATASET_PUBLISHED for the same version: the version stays what was registered first.
    var second = a.encrypt("claims", 1, 300, 3);
    a.client().appendEvent(a.published(second));
    var r = api.postJson("/datasets", registration(m.dataset(), second.manifestCid().toString(), m.rows(), m.shards().size(), m.schema()));
    assertEquals(409, r.statusCode(), r.body());
    assertTrue(r.body().contains("already registered"), r.body());
  }

  @Test
  void anOwnersEventAboutAnotherOwnersDatasetIsNotAppended() {
    var p = a.encrypt("cohort", 1, 200, 4);
    var m = p.manifest().manifest();
    long before = ledgerSize();
    // hospital-b, a member in good standing, signs a publication of hospital-a's dataset with its own key.
    SignedEvent impostor = b.sign(new AuditEvent.DatasetPublished(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), m.schemaHash()));
    String e = refused(422, () -> b.client().appendEvent(impostor));
    assertTrue(e.contains("only its owner hospital-a"), e);
    // ...and one that claims to be hospital-a's but carries hospital-b's signature.
    SignedEvent forged = SignedEvent.sign(impostor.event(), A, b.org().signingKey(), Instant.now());
    String f = refused(422, () -> b.client().appendEvent(forged));
    assertTrue(f.contains("does not verify"), f);
    assertEquals(before, ledgerSize(), "nothing appended");
    String r = refused(422, () -> b.client().registerDataset(m.dataset(), p.manifestCid(), m.rows(), m.shards().size(), m.schema()));
    assertTrue(r.contains("no DATASET_PUBLISHED"), r);
  }

  @Test
  void eventsWithARouteOfTheirOwnAreNotAppendedAlone() {
    long before = ledgerSize();
    var submitted = a.sign(new AuditEvent.JobSubmitted(JobId.random(), A, List.of(new DatasetVersion(new DatasetId(A, "claims"), 1)), Engine.TEE,
        new Purpose("risk-model"), Digest.sha256(new byte[] {1})));
    assertTrue(refused(422, () -> a.client().appendEvent(submitted)).contains("POST /api/jobs"));
    var approval = a.sign(new AuditEvent.ApprovalGiven(JobId.random(), new DatasetId(A, "claims"), true, "fine"));
    assertTrue(refused(422, () -> a.client().appendEvent(approval)).contains("/approvals"));
    var bad = api.postJson("/ledger/events", "{\"statement\": 1}");
    assertEquals(400, bad.statusCode(), bad.body());
    assertEquals(before, ledgerSize());
  }

  @Test
  void anOlderPolicyCannotBeMadeCurrentAgainNorARevocationInvented() {
    a.publish("visits", 1, 200, 5);
    String first = PolicyVariants.demoPolicyWith(A, "dataset", "hospital-a/visits");
    String second = PolicyVariants.demoPolicyWith(A, "dataset", "hospital-a/visits", "minCohort", 20);
    String unsigned = refused(422, () -> a.client().putPolicy(first));
    assertTrue(unsigned.contains("no POLICY_PUBLISHED of hospital-a/visits"), unsigned);
    a.publishPolicy(first);
    a.publishPolicy(second);
    String replay = refused(422, () -> a.client().putPolicy(first));
    assertTrue(replay.contains("latest POLICY_PUBLISHED") && replay.contains("not this one"), replay);
    assertEquals(io.covenant.policy.Policy.parse(second).hash(io.covenant.core.crypto.CryptoSuite.INTL).hex(), current("hospital-a/visits").hash(), "the replay changed nothing");

    String noRevocation = refused(422, () -> a.client().revokePolicy(new DatasetId(A, "visits")));
    assertTrue(noRevocation.contains("no POLICY_REVOKED"), noRevocation);
    assertEquals("in-force", current("hospital-a/visits").status());
    // hospital-b cannot revoke hospital-a's policy on the ledger either.
    String impostor = refused(422, () -> b.client().appendEvent(b.policyRevoked(second, "not mine to revoke")));
    assertTrue(impostor.contains("only its owner hospital-a"), impostor);

    a.client().appendEvent(a.policyRevoked(second, "study closed"));
    a.client().revokePolicy(new DatasetId(A, "visits"));
    String revoked = refused(422, () -> a.client().putPolicy(second));
    assertTrue(revoked.contains("revoked"), revoked);
    assertEquals("revoked", current("hospital-a/visits").status());
  }

  @Test
  void aPolicyForADatasetNotInTheCatalogueWaitsForIt() {
    String policy = PolicyVariants.demoPolicyWith(B, "dataset", "hospital-b/unpublished");
    b.client().appendEvent(b.policyPublished(policy));
    String e = refused(422, () -> b.client().putPolicy(policy));
    assertTrue(e.contains("POST /api/datasets"), e);
  }

  @Test
  void malformedBodiesAreBadRequestsNamingTheField() {
    long before = ledgerSize();
    String[][] cases = {
      {"/datasets", "{}"},
      {"/datasets", "{\"version\": \"no-version\", \"manifestCid\": \"x\", \"rows\": 1, \"shards\": 1, \"schema\": []}"},
      {"/datasets", "{\"version\": \"hospital-a/claims@1\", \"manifestCid\": \"not-a-cid\", \"rows\": 1, \"shards\": 1, \"schema\": []}"},
      {"/datasets", "{\"version\": \"hospital-a/claims@1\", \"manifestCid\": \"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\", \"rows\": \"many\", \"shards\": 1, \"schema\": []}"},
      {"/datasets", "{\"version\": \"hospital-a/claims@1\", \"manifestCid\": \"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\", \"rows\": 1, \"shards\": 0, \"schema\": [1]}"},
      {"/policies", "{}"},
      {"/policies", "[]"},
      {"/policies/revocations", "{}"},
      {"/policies/revocations", "{\"dataset\": \"no slash\"}"},
      {"/ledger/events", "{\"statement\": {\"type\": \"NO_SUCH_TYPE\", \"v\": 1, \"actor\": \"hospital-a\", \"at\": \"2026-01-01T00:00:00Z\", \"body\": {}}, \"sig\": \"00\"}"},
    };
    for (String[] c : cases) {
      var r = api.postJson(c[0], c[1]);
      assertEquals(400, r.statusCode(), c[0] + " " + c[1] + " -> " + r.body());
      assertFalse(Json.parseObject(r.body()).string("error").isBlank());
    }
    assertEquals(before, ledgerSize());
  }

  private static io.covenant.coordinator.client.PolicyView current(String dataset) {
    return CoordinatorClient.all(a.client()::policies).stream().filter(p -> p.dataset().toString().equals(dataset)).reduce((x, y) -> y).orElseThrow();
  }
}
