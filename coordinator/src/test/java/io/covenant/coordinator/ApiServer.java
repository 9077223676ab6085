package io.covenant.coordinator;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/** The coordinator's HTTP API on an ephemeral port of 127.0.0.1 over a data directory, with plain java.net.http calls. */
final class ApiServer implements AutoCloseable {
  final ApplicationContext context;
  final String base;
  final HttpClient http = HttpClient.newHttpClient();

  ApiServer(Path dataDir) {
    context = ApplicationContext.run(Map.of("covenant.data-dir", dataDir.toString(), "micronaut.server.port", -1,
        "micronaut.server.host", "127.0.0.1", "micronaut.banner.enabled", false));
    EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
    base = server.getURL() + "/api";
  }

  HttpResponse<String> get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  HttpResponse<String> post(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  HttpResponse<String> postJson(String path, String body) {
    return post(path, "application/json", body);
  }

  HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
