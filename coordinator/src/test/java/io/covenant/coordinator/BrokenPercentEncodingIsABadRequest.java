package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by hand while fuzzing the API (issue 19): a URL with broken percent-encoding ({@code %zz}, RFC 3986 section
 * 2.1) made the server answer 500 "this is a bug". It is the caller's mistake: 400 in the error shape, saying how to
 * encode.
 */
class BrokenPercentEncodingIsABadRequest {
  @TempDir Path dir;

  @Test
  void inThePathAndInTheQuery() {
    io.covenant.coordinator.deployment.LocalDeployment.open(dir).close();
    try (ApiServer api = new ApiServer(dir)) {
      for (String target : new String[] {"/api/jobs/%zz", "/api/jobs?limit=%zz", "/api/ledger/entries?from=%G1"}) {
        ApiServer.RawResponse r = api.raw("GET " + target + " HTTP/1.1");
        assertEquals(400, r.status(), target + ": " + r.body());
        assertTrue(r.headers().get("content-type").startsWith("application/json"), r.headers().toString());
        assertTrue(Json.parseObject(r.body()).string("error").contains("percent-encode"), r.body());
      }
    }
  }
}
