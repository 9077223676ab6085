package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.http.CoordinatorApi;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document served at /api/openapi.yml is generated from the controller at build time; this checks the
 * generated document lists exactly the controller's routes (method and path), so a route cannot go undocumented.
 */
class OpenApiDocumentCoversEveryRoute {
  @TempDir Path dir;

  @Test
  void everyRouteOfTheControllerIsInTheDocumentAndNothingElse() {
    Set<String> routes = new TreeSet<>();
    // The API's controller and the web console's routes (ConsoleApi, docs/console.md); the console's static files are not API.
    for (Class<?> controller : new Class<?>[] {CoordinatorApi.class, io.covenant.coordinator.http.ConsoleApi.class}) {
    String prefix = controller.getAnnotation(Controller.class).value();
    for (Method m : controller.getDeclaredMethods()) {
      if (m.getAnnotation(Get.class) != null) routes.add("get " + prefix + m.getAnnotation(Get.class).value());
      if (m.getAnnotation(Post.class) != null) routes.add("post " + prefix + m.getAnnotation(Post.class).value());
      if (m.getAnnotation(io.micronaut.http.annotation.Put.class) != null) routes.add("put " + prefix + m.getAnnotation(io.micronaut.http.annotation.Put.class).value());
    }
    }
    assertTrue(routes.size() >= 20, routes.toString());

    io.covenant.coordinator.deployment.LocalDeployment.open(dir).close();
    try (ApiServer api = new ApiServer(dir)) {
      var r = api.get("/openapi.yml");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/yaml"));
      Set<String> documented = new TreeSet<>();
      String path = null;
      boolean inPaths = false;
      for (String line : r.body().split("\n")) {
        if (line.equals("paths:")) inPaths = true;
        else if (!line.startsWith(" ") && !line.isEmpty()) inPaths = false;
        if (!inPaths) continue;
        if (line.matches("  /\\S+:")) path = line.strip().replaceAll(":$", "");
        else if (line.matches("    (get|post|put|delete|patch|head|options):") && path != null) documented.add(line.strip().replace(":", "") + " " + path);
      }
      assertEquals(routes, documented);
      assertTrue(r.body().contains("JobSubmission") && r.body().contains("Error"), "bodies are described");
    }
  }

  /** The part of the document from the line {@code start} to the next line indented no deeper. */
  private static String section(String yaml, String start) {
    String[] lines = yaml.split("\n");
    StringBuilder out = new StringBuilder();
    int indent = -1;
    for (String line : lines) {
      if (indent < 0) {
        if (line.strip().equals(start)) {
          indent = line.indexOf(start.charAt(0));
          out.append(line).append('\n');
        }
        continue;
      }
      if (!line.isBlank() && line.length() - line.stripLeading().length() <= indent) break;
      out.append(line).append('\n');
    }
    assertTrue(indent >= 0, "no '" + start + "' in the document");
    return out.toString();
  }

  /**
   * Found by the API fuzzer (issue 19): the document said a list of ledger entries was one entry, that a policy
   * document and an event body held only objects, and that the sealed-result route's errors were octet-stream; a
   * client generated from it would have rejected what the server sends.
   */
  @Test
  void bodiesAreDescribedAsTheServerSendsThem() {
    io.covenant.coordinator.deployment.LocalDeployment.open(dir).close();
    try (ApiServer api = new ApiServer(dir)) {
      String yaml = api.get("/openapi.yml").body();
      for (String route : new String[] {"/api/ledger/entries:", "/api/jobs/{id}/trail:"}) {
        String ok = section(section(yaml, route), "\"200\":");
        assertTrue(ok.contains("type: array") && ok.contains("items:") && ok.contains("#/components/schemas/LedgerEntry"), route + "\n" + ok);
      }
      assertTrue(section(section(yaml, "Policy:"), "document:").contains("additionalProperties: true"), "a policy document is any JSON object");
      assertTrue(section(section(yaml, "Statement:"), "body:").contains("additionalProperties: true"), "an event body is any JSON object");
      String result = section(yaml, "/api/jobs/{id}/result:");
      assertTrue(section(result, "\"200\":").contains("application/octet-stream"), result);
      for (String status : new String[] {"\"400\":", "\"404\":", "\"409\":", "\"414\":"}) {
        String error = section(result, status);
        assertTrue(error.contains("application/json") && !error.contains("octet-stream"), status + "\n" + error);
      }
      String errorSchema = section(yaml, "Error:");
      assertTrue(errorSchema.contains("additionalProperties: false") && errorSchema.contains("- error"), errorSchema);
      assertTrue(section(section(yaml, "/api/ledger/checkpoint:"), "\"200\":").contains("#/components/schemas/Checkpoints"));
    }
  }
}
