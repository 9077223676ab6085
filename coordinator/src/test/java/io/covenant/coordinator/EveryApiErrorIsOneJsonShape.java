package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error status the API can answer, whether our code or Micronaut's routing raised it, is
 * {@code {"error": "..."}} as application/json, and the message says what to do.
 */
class EveryApiErrorIsOneJsonShape {
  @TempDir static Path dir;
  static ApiServer api;

  static String deniedJob;

  @BeforeAll
  static void start() {
    try (SmallFederation f = new SmallFederation(dir, 100)) {
      deniedJob = f.submit(io.covenant.coordinator.demo.HospitalInsurerDemo.SINGLING_OUT_SQL).job().value();
    }
    api = new ApiServer(dir);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  /** The body is exactly one member, "error", a non-blank string; the content type is JSON. */
  private static String error(HttpResponse<String> r, int status) {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    Json.JObject o = Json.parseObject(r.body());
    assertEquals(java.util.Set.of("error"), o.members().keySet(), r.body());
    String message = o.string("error");
    assertFalse(message.isBlank());
    return message;
  }

  @Test
  void anUnknownRouteIs404() {
    assertTrue(error(api.get("/nothing-here"), 404).contains("openapi.yml"));
    error(api.send(HttpRequest.newBuilder(URI.create(api.base.replace("/api", "/elsewhere"))).build()), 404);
  }

  @Test
  void anUnknownJobIs404OnEveryJobRoute() {
    for (String path : new String[] {"/jobs/job-0000000000000000", "/jobs/job-0000000000000000/result", "/jobs/job-0000000000000000/trail"}) {
      assertTrue(error(api.get(path), 404).contains("job-0000000000000000 is not known"), path);
    }
    error(api.postJson("/jobs/job-0000000000000000/approvals", "{}"), 404);
  }

  @Test
  void aMalformedJobIdIs400() {
    assertTrue(error(api.get("/jobs/not-a-job"), 400).contains("expected job-"));
  }

  @Test
  void aWrongMethodIs405() {
    assertTrue(error(api.send(HttpRequest.newBuilder(URI.create(api.base + "/health")).DELETE().build()), 405).contains("DELETE"));
    error(api.postJson("/ledger/checkpoint", "{}"), 405);
  }

  @Test
  void aBodyThatIsNotJsonIs415() {
    assertTrue(error(api.post("/jobs", "text/plain", "hello"), 415).contains("Content-Type: application/json"));
  }

  @Test
  void malformedJsonIs400() {
    assertTrue(error(api.postJson("/jobs", "{\"request\": "), 400).contains("malformed JSON"));
    assertTrue(error(api.postJson("/jobs", "{}"), 400).contains("covenant sign job"));
  }

  @Test
  void badQueryParametersAre400() {
    assertTrue(error(api.get("/jobs?limit=0"), 400).contains("limit 0"));
    assertTrue(error(api.get("/jobs?limit=ten"), 400).contains("limit"));
    assertTrue(error(api.get("/jobs?after=job-0000000000000000"), 400).contains("cursor"));
    assertTrue(error(api.get("/ledger/proof/inclusion"), 400).contains("required"));
    assertTrue(error(api.get("/ledger/proof/inclusion?index=abc&size=2"), 400).contains("'abc' is not a whole number"));
    error(api.get("/ledger/entries?from=5&to=1"), 400);
  }

  @Test
  void aSubmissionWithoutItsPartsIs400() {
    assertTrue(error(api.postJson("/jobs", "{\"request\": {}, \"submission\": {}}"), 400).contains("missing field"));
  }

  @Test
  void aDeniedJobHasNoResultAndThatIs409() {
    assertTrue(error(api.get("/jobs/" + deniedJob + "/result"), 409).contains("has no result"));
  }

  @Test
  void anAcceptHeaderTheRouteCannotAnswerIs406() {
    error(api.send(HttpRequest.newBuilder(URI.create(api.base + "/health")).header("Accept", "text/html").build()), 406);
  }

  @Test
  void anOversizedBodyIs413() {
    String big = "{\"pad\": \"" + "x".repeat(11 * 1024 * 1024) + "\"}";
    assertTrue(error(api.postJson("/jobs", big), 413).contains("larger than"));
  }
}
