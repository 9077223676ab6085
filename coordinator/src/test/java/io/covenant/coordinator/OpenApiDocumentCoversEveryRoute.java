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
    String prefix = CoordinatorApi.class.getAnnotation(Controller.class).value();
    for (Method m : CoordinatorApi.class.getDeclaredMethods()) {
      if (m.getAnnotation(Get.class) != null) routes.add("get " + prefix + m.getAnnotation(Get.class).value());
      if (m.getAnnotation(Post.class) != null) routes.add("post " + prefix + m.getAnnotation(Post.class).value());
    }
    assertTrue(routes.size() >= 14, routes.toString());

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
}
