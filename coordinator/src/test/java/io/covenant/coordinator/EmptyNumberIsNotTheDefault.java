package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the API fuzzer (issue 19): {@code ?limit=} and {@code ?from=&to=}, numbers given empty, were taken as absent
 * and answered with the default, while the document says the value is an integer. A value that is given must be a
 * whole number; one that is not sent at all still takes the default.
 */
class EmptyNumberIsNotTheDefault {
  @TempDir Path dir;

  @Test
  void anEmptyNumberIs400AndAnAbsentOneTakesTheDefault() {
    long size;
    try (var d = io.covenant.coordinator.deployment.LocalDeployment.open(dir)) {
      size = d.ledger().size();
    }
    try (ApiServer api = new ApiServer(dir)) {
      for (String path : new String[] {"/jobs?limit=", "/datasets?limit=", "/policies?limit=", "/ledger/entries?from=", "/ledger/entries?to=",
          "/ledger/entries?from=&to="}) {
        var r = api.get(path);
        assertEquals(400, r.statusCode(), path + ": " + r.body());
        assertTrue(Json.parseObject(r.body()).string("error").contains("'' is not a whole number"), path + ": " + r.body());
      }
      assertEquals(200, api.get("/jobs").statusCode());
      String all = api.get("/ledger/entries").body();
      assertEquals(size, Json.parseObject("{\"e\":" + all + "}").objects("e").size());
      // A range that ends past the ledger is cut at its end, as documented; one that starts past it is refused.
      assertEquals(all, api.get("/ledger/entries?from=0&to=" + (size + 100)).body());
      assertEquals(400, api.get("/ledger/entries?from=" + (size + 1)).statusCode());
      assertEquals(400, api.get("/ledger/entries?to=-1").statusCode());
    }
  }
}
