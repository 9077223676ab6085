package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the API fuzzer (issue 19): a URL or headers longer than the server reads were answered 413 in Micronaut's
 * own error body ({@code _links}, {@code _embedded}), not the API's one shape. Now a URL too long is 414 (RFC 9110
 * section 15.5.15) and headers too large are 431 (RFC 6585 section 5), each as {@code {"error": "..."}}.
 */
class OverlongRequestIsRefusedInTheErrorShape {
  @TempDir Path dir;

  private static String error(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    Json.JObject o = Json.parseObject(r.body());
    assertEquals(java.util.Set.of("error"), o.members().keySet(), r.body());
    return o.string("error");
  }

  @Test
  void aLongUrlIs414AndLargeHeadersAre431() {
    io.covenant.coordinator.deployment.LocalDeployment.open(dir).close();
    try (ApiServer api = new ApiServer(dir)) {
      String longQuery = "/jobs?after=" + "a".repeat(10_000);
      assertTrue(error(api.get(longQuery), 414).contains("URL is longer"));
      HttpRequest bigHeader = HttpRequest.newBuilder(URI.create(api.base + "/health")).header("X-Padding", "b".repeat(20_000)).build();
      assertTrue(error(api.send(bigHeader), 431).contains("headers are larger"));
      // The server still answers normally afterwards.
      assertEquals(200, api.get("/health").statusCode());
    }
  }
}
