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

  /** A response read off the socket: the status, the headers (names in lower case) and the body. */
  record RawResponse(int status, Map<String, String> headers, String body) {}

  /**
   * Sends {@code requestLine} and {@code headers} exactly as given, on a socket of its own: for requests that
   * java.net.http refuses to build (a URL with broken percent-encoding, the TRACE method).
   */
  RawResponse raw(String requestLine, String... headers) {
    URI uri = URI.create(base);
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      StringBuilder head = new StringBuilder(requestLine).append("\r\nHost: ").append(uri.getHost()).append("\r\nConnection: close\r\n");
      for (String h : headers) head.append(h).append("\r\n");
      socket.getOutputStream().write(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int split = all.indexOf("\r\n\r\n");
      String[] lines = all.substring(0, split).split("\r\n");
      Map<String, String> names = new java.util.TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        names.put(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT), lines[i].substring(colon + 1).strip());
      }
      return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), names, all.substring(split + 4));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    context.close();
  }
}
