package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.DatasetView;
import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.client.PolicyView;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.event.EventType;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.dataset.DatasetReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hospital's node publishes through the coordinator's API alone: its shards and manifest go to PUT /api/blocks, its
 * own signed DATASET_PUBLISHED and POLICY_PUBLISHED to POST /api/ledger/events, and the catalogue takes the dataset and
 * the policy because the ledger shows the hospital signed exactly them. Retries change nothing; revocation follows the
 * owner's POLICY_REVOKED.
 */
class NodesPublishThroughTheApi {
  static final OrgId HOSPITAL = OrgId.of("hospital-a");
  @TempDir static Path dir;
  static ApiServer api;
  static NodeOverApi node;

  @BeforeAll
  static void start() {
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      d.createOrganisation(HOSPITAL, "Hospital A", Set.of(OrgRole.OWNER));
      d.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", Set.of(OrgRole.CONSUMER));
    }
    api = new ApiServer(dir);
    node = new NodeOverApi(CoordinatorClient.of(URI.create(api.base), HttpClient.newHttpClient()), LocalKeys.of(dir, HOSPITAL));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void aDatasetAndItsPolicyArePublishedOverTheApi() throws Exception {
    var p = node.encrypt("claims", 1, 900, 11);
    Cid manifest = p.manifestCid();
    // The coordinator holds the blocks in its own store, and serves them back unchanged.
    assertTrue(new LocalBlockstore(dir.resolve("blocks")).has(manifest));
    for (var shard : p.manifest().manifest().shards()) assertTrue(node.client().blocks().has(shard.cid()));
    var owner = LocalKeys.of(dir, HOSPITAL).signingKey().verifyingKey();
    assertEquals(p.manifest().manifest(), new DatasetReader(node.client().blocks()).manifest(manifest, owner).manifest());

    LedgerEntry entry = node.client().appendEvent(node.published(p));
    assertEquals(EventType.DATASET_PUBLISHED, entry.event().event().type());
    var m = p.manifest().manifest();
    DatasetView registered = node.client().registerDataset(m.dataset(), manifest, m.rows(), m.shards().size(), SyntheticClaims.SCHEMA);
    assertEquals(m.dataset(), registered.dataset());
    assertEquals(900, registered.rows());
    assertEquals(entry.event().issuedAt(), registered.publishedAt(), "published when the owner signed it");

    // A node retrying after a lost answer: the same registration again is a success that changes nothing.
    var again = api.postJson("/datasets", Json.obj("version", m.dataset().toString(), "manifestCid", manifest.toString(), "rows", m.rows(),
        "shards", m.shards().size(), "schema", SyntheticClaims.SCHEMA.toJson()).encode());
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(1, CoordinatorClient.all(node.client()::datasets).size());

    String policy = HospitalInsurerDemo.policyFor(HOSPITAL);
    PolicyView inForce = node.publishPolicy(policy);
    assertEquals("in-force", inForce.status());
    assertEquals(200, api.postJson("/policies", policy).statusCode(), "the policy in force, sent again");

    node.client().appendEvent(node.policyRevoked(policy, "consent withdrawn"));
    PolicyView revoked = node.client().revokePolicy(new DatasetId(HOSPITAL, "claims"));
    assertEquals("revoked", revoked.status());
    assertEquals("revoked", node.client().revokePolicy(new DatasetId(HOSPITAL, "claims")).status(), "revoking again changes nothing");
  }

  @Test
  void blocksRoundTripAndAMissingOneIs404() throws Exception {
    byte[] block = "ciphertext, as far as the coordinator knows".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    HttpClient http = HttpClient.newHttpClient();
    var put = http.send(HttpRequest.newBuilder(URI.create(api.base + "/blocks?codec=raw")).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(block)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, put.statusCode(), put.body());
    assertEquals(Cid.of(Cid.RAW, block).toString(), Json.parseObject(put.body()).string("cid"));
    var get = http.send(HttpRequest.newBuilder(URI.create(api.base + "/blocks/" + Cid.of(Cid.RAW, block))).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals(block, get.body());
    var missing = api.get("/blocks/" + Cid.of(Cid.RAW, new byte[] {9}));
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("PUT /api/blocks"), missing.body());
    var codec = http.send(HttpRequest.newBuilder(URI.create(api.base + "/blocks?codec=cbor")).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(block)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, codec.statusCode());
    assertTrue(codec.body().contains("codec=raw"), codec.body());
    var tooLarge = http.send(HttpRequest.newBuilder(URI.create(api.base + "/blocks?codec=raw")).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[io.covenant.storage.blockstore.HttpBlockstore.MAX_BLOCK_BYTES + 1])).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(413, tooLarge.statusCode(), tooLarge.body());
    assertEquals(400, api.get("/blocks/not-a-cid").statusCode());
  }
}
