package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.storage.blockstore.HttpBlockstore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's block route keeps a national-suite node's blocks: {@code PUT /api/blocks?codec=raw&hash=sm3-256}
 * stores under the sm3-256 CID (what {@link HttpBlockstore#put(CryptoSuite, long, byte[])} sends), without {@code hash}
 * under sha2-256 as before, and an unknown hash is a 400 that names the two it takes.
 */
class BlockRouteAddressesBySm3OnRequest {
  @TempDir Path dir;

  @Test
  void sm3BlocksRoundTripAndAnUnknownHashIsRefused() throws Exception {
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      assertEquals(CryptoSuite.INTL, d.suite());
    }
    byte[] block = "a national-suite shard, as far as the coordinator knows".getBytes(StandardCharsets.UTF_8);
    try (ApiServer api = new ApiServer(dir)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpBlockstore store = new HttpBlockstore(http, URI.create(api.base));
      Cid sm3 = store.put(CryptoSuite.SM, Cid.RAW, block);
      assertEquals(Cid.of(CryptoSuite.SM, Cid.RAW, block), sm3);
      assertEquals(Cid.SM3_256, sm3.multihashCode());
      assertArrayEquals(block, store.get(sm3));
      Cid sha = store.put(Cid.RAW, block);
      assertEquals(Cid.SHA2_256, sha.multihashCode(), "without hash the route addresses by sha2-256, as before");
      var unknown = http.send(HttpRequest.newBuilder(URI.create(api.base + "/blocks?codec=raw&hash=md5")).header("Content-Type", "application/octet-stream")
          .PUT(HttpRequest.BodyPublishers.ofByteArray(block)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, unknown.statusCode(), unknown.body());
      String error = Json.parseObject(unknown.body()).string("error");
      assertTrue(error.contains("sha2-256") && error.contains("sm3-256"), error);
    }
  }
}
