package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.codec.Json;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.CosignedCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/ledger/checkpoint} served only the operator's own signed tree head, which the operator alone vouches
 * for. It now serves, beside it, the latest checkpoint the consortium's witnesses cosigned, with their cosignatures:
 * what an auditor keeps and later passes to {@code covenant verify --since}.
 */
class CheckpointRouteServesWhatTheWitnessesCosigned {
  @TempDir Path dir;

  /** The members the OpenAPI document's schema record lists. */
  private static Set<String> members(String schema) throws ClassNotFoundException {
    return java.util.Arrays.stream(Class.forName("io.covenant.coordinator.http.ApiSchemas$" + schema).getRecordComponents())
        .map(java.lang.reflect.RecordComponent::getName).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void beforeAnyCosigningWitnessedIsNull() {
    LocalDeployment.open(dir).close();
    try (ApiServer api = new ApiServer(dir)) {
      Json.JObject body = Json.parseObject(api.get("/ledger/checkpoint").body());
      assertEquals(Set.of("checkpoint", "witnessed"), body.members().keySet());
      assertTrue(body.members().get("witnessed") instanceof Json.JNull, body.encode());
      assertEquals(1, body.object("checkpoint").number("treeSize"), "the operator's registration");
    }
  }

  @Test
  void theLatestCosignedCheckpointIsServedWithItsCosignatures() throws Exception {
    OrgId a = OrgId.of("hospital-a");
    OrgId b = OrgId.of("insurer-x");
    CosignedCheckpoint cosigned;
    long sizeNow;
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      d.createOrganisation(a, "Hospital A", Set.of(OrgRole.OWNER));
      d.createOrganisation(b, "Insurer X", Set.of(OrgRole.CONSUMER));
      d.formConsortium(List.of(a, b), 2);
      d.cosignCheckpoint();
      d.createOrganisation(OrgId.of("hospital-b"), "Hospital B", Set.of(OrgRole.OWNER));
      cosigned = d.cosignCheckpoint().checkpoint(); // the latest round
      d.createOrganisation(OrgId.of("hospital-c"), "Hospital C", Set.of(OrgRole.OWNER)); // not witnessed yet
      sizeNow = d.ledger().size();
    }
    Json.JObject body;
    try (ApiServer api = new ApiServer(dir)) {
      body = Json.parseObject(api.get("/ledger/checkpoint").body());
    }
    assertEquals(sizeNow, body.object("checkpoint").number("treeSize"));
    assertEquals(members("CosignedCheckpoint"), body.object("witnessed").members().keySet(), "as documented");
    assertEquals(members("Cosignature"), body.object("witnessed").objects("cosignatures").get(0).members().keySet(), "as documented");
    CosignedCheckpoint served = CosignedCheckpoint.fromJson(body.object("witnessed"));
    assertEquals(cosigned.checkpoint(), served.checkpoint());
    assertEquals(sizeNow - 1, served.checkpoint().treeSize(), "the last entry is not witnessed yet");
    assertEquals(Set.of("hospital-a", "insurer-x"), Set.copyOf(served.cosignatures().stream().map(c -> c.witness()).toList()));
    for (var c : served.cosignatures()) assertTrue(c.verifies(served.checkpoint()), c.witness());

    // What the route serves is what an auditor keeps for 'verify --since'.
    Path kept = dir.resolveSibling(dir.getFileName() + "-kept.json");
    Files.writeString(kept, body.object("witnessed").encode() + "\n");
    try {
      CliRun verify = CliRun.of(dir, "verify", "--since", kept.toString());
      assertEquals(0, verify.exit(), verify.toString());
      assertTrue(verify.out().contains("since: your checkpoint of " + served.checkpoint().treeSize() + " entries"), verify.out());
    } finally {
      Files.deleteIfExists(kept);
    }
  }
}
