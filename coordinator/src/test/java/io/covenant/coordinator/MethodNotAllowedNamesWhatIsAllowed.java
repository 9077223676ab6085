package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the API fuzzer (issue 19): a 405 came without the {@code Allow} header RFC 9110 section 15.5.6 requires, so
 * a client could not learn which methods a route takes. It names them, in the header and in the message.
 */
class MethodNotAllowedNamesWhatIsAllowed {
  @TempDir Path dir;

  @Test
  void theAllowHeaderListsTheRoutesMethods() {
    io.covenant.coordinator.deployment.LocalDeployment.open(dir).close();
    try (ApiServer api = new ApiServer(dir)) {
      String[][] cases = {
        {"TRACE /api/health", "GET, HEAD"},
        {"DELETE /api/jobs", "GET, HEAD, POST"},
        {"PUT /api/jobs/job-0000000000000000/approvals", "POST"},
        {"OPTIONS /api/ledger/checkpoint", "GET, HEAD"},
      };
      for (String[] c : cases) {
        ApiServer.RawResponse r = api.raw(c[0] + " HTTP/1.1", "Content-Length: 0");
        assertEquals(405, r.status(), c[0] + ": " + r.body());
        assertEquals(c[1], r.headers().get("allow"), c[0] + ": " + r.headers());
        assertTrue(Json.parseObject(r.body()).string("error").contains("it takes " + c[1]), r.body());
      }
    }
  }
}
