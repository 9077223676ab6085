package io.covenant.core.identity;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * HTTP over {@link MutualTls} between the consortium's own processes (organisation nodes, TEE worker): the JDK's
 * HTTPS server and client, TLS 1.3 only, a client certificate required, and the caller known by organisation. Bodies
 * are JSON; errors are {@code {"error": ...}} as in the coordinator's API.
 */
public final class MutualTlsHttp {
  /** Largest request body the consortium's processes accept (a job description or a key-release request). */
  public static final int MAX_BODY_BYTES = 4 << 20;

  /**
   * The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise, and writes an answer as a header record then
   * body records: the last short segment of any answer larger than one segment then waits for the peer's delayed ACK
   * (40 ms on Linux). Measured on loopback with mutual TLS: a 20 KB answer took 45 ms with it, 2 ms without. The
   * answers of these servers are whole messages, with nothing for Nagle to gather, so it is turned off unless the
   * operator set the property. The JDK reads it once, when its server configuration is first loaded: hence here, before
   * any server of this class exists.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NO_DELAY) == null) System.setProperty(NO_DELAY, "true");
  }

  private MutualTlsHttp() {}

  /** An HTTPS server on {@code bind} that admits only consortium members; the caller adds contexts and starts it. */
  public static HttpsServer server(InetSocketAddress bind, MutualTls tls, int threads) {
    try {
      HttpsServer server = HttpsServer.create(bind, 64);
      server.setHttpsConfigurator(new HttpsConfigurator(tls.context()) {
        @Override
        public void configure(HttpsParameters params) {
          params.setSSLParameters(tls.parameters(true));
        }
      });
      ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
        Thread t = new Thread(r, tls.self() + "-https");
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(pool);
      return server;
    } catch (IOException e) {
      throw new CovenantException("cannot listen on " + bind + ": " + e.getMessage() + "; choose another port (or 0 for a free one)", e);
    }
  }

  /** Where {@code server} listens, as others reach it on this host: {@code https://HOST:PORT/} (a wildcard bind is shown as 127.0.0.1). */
  public static java.net.URI uriOf(HttpsServer server) {
    InetSocketAddress at = server.getAddress();
    String host = at.getAddress().isAnyLocalAddress() ? "127.0.0.1" : at.getAddress().getHostAddress();
    return java.net.URI.create("https://" + host + ":" + at.getPort() + "/");
  }

  /** Stops {@code server} at once and the threads {@link #server} gave it. */
  public static void stop(HttpsServer server) {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  /** A client that presents {@code tls}'s certificate and accepts only consortium servers. */
  public static HttpClient client(MutualTls tls, Duration connectTimeout) {
    return HttpClient.newBuilder().sslContext(tls.context()).sslParameters(tls.parameters(false)).connectTimeout(connectTimeout)
        .version(HttpClient.Version.HTTP_1_1).build();
  }

  /** The organisation that called, from its client certificate. */
  public static OrgId caller(HttpExchange exchange) {
    return MutualTls.peerOf(((HttpsExchange) exchange).getSSLSession());
  }

  /** Reads a JSON object body of at most {@link #MAX_BODY_BYTES}. */
  public static Json.JObject body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
      if (b.length > MAX_BODY_BYTES) throw new io.covenant.core.error.MalformedInputException("the request body exceeds " + MAX_BODY_BYTES + " bytes");
      return Json.parseObject(b);
    }
  }

  public static void respond(HttpExchange exchange, int status, Json.JObject body) throws IOException {
    byte[] b = body.encode().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, b.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(b);
    }
  }

  public static void error(HttpExchange exchange, int status, String message) throws IOException {
    respond(exchange, status, Json.obj("error", message));
  }
}
