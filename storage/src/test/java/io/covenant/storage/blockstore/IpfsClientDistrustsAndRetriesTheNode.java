package io.covenant.storage.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.covenant.core.cid.Cid;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a scripted HTTP server on loopback: what the client does when a node misbehaves. */
class IpfsClientDistrustsAndRetriesTheNode {
  private static final byte[] BLOCK = "a sealed shard".getBytes(StandardCharsets.UTF_8);
  private static final Cid CID = Cid.raw(BLOCK);
  private HttpServer server;

  private record Reply(int status, byte[] body, long declared) {
    Reply(int status, byte[] body) {
      this(status, body, body.length);
    }

    static Reply ok(String json) {
      return new Reply(200, json.getBytes(StandardCharsets.UTF_8));
    }

    /** A 200 whose body stops before the length its header announced: the connection closes mid-answer. */
    static Reply cutOff(String json) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      return new Reply(200, java.util.Arrays.copyOf(b, b.length / 2), b.length);
    }
  }

  private URI serve(Function<String, Reply> script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v0/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      Reply r = script.apply(exchange.getRequestURI().getPath().substring("/api/v0/".length()));
      exchange.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.declared());
      if (r.body().length > 0) exchange.getResponseBody().write(r.body());
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Test
  void anAnswerBrokenOffHalfWayIsAskedForAgain() throws IOException {
    // Seen with IPFS Cluster's proxy under load: a put whose answer stops half-way. Content-addressed calls are
    // idempotent, so the client asks again; the half answer is never used.
    AtomicInteger calls = new AtomicInteger();
    String stored = "{\"Key\":\"" + CID + "\",\"Size\":" + BLOCK.length + "}";
    URI api = serve(cmd -> calls.incrementAndGet() == 1 ? Reply.cutOff(stored) : Reply.ok(stored));
    assertEquals(CID, IpfsBlockstore.at(api).withRetries(2, Duration.ofMillis(1)).put(Cid.RAW, BLOCK));
    assertEquals(2, calls.get());
  }

  @Test
  void aNodeThatAlwaysBreaksOffIsNamedAfterTheRetries() throws IOException {
    URI api = serve(cmd -> Reply.cutOff("{\"Key\":\"" + CID + "\",\"Size\":" + BLOCK.length + "}"));
    CovenantException e = assertThrows(CovenantException.class, () -> IpfsBlockstore.at(api).withRetries(2, Duration.ofMillis(1)).put(Cid.RAW, BLOCK));
    // The last attempt fails reading the body ("broke off ... 3 times") or, on a connection the server already closed,
    // sending the request ("after 3 attempts"): either way the node and the call are named after every retry.
    assertTrue(e.getMessage().contains(api.getAuthority()) && e.getMessage().contains("block/put")
        && (e.getMessage().contains("3 times") || e.getMessage().contains("3 attempts")), e.getMessage());
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  @Test
  void transientServerErrorsAreRetriedThenSucceed() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    URI api = serve(cmd -> calls.incrementAndGet() <= 2 ? new Reply(503, new byte[0]) : Reply.ok("{\"Version\":\"0.29.0\"}"));
    assertEquals("0.29.0", IpfsBlockstore.at(api).withRetries(3, Duration.ofMillis(1)).version());
    assertEquals(3, calls.get());
  }

  @Test
  void anUnreachableNodeIsNamedAfterTheRetries() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    IpfsBlockstore ipfs = IpfsBlockstore.at(URI.create("http://127.0.0.1:" + port)).withRetries(2, Duration.ofMillis(1));
    CovenantException e = assertThrows(CovenantException.class, () -> ipfs.get(CID));
    assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("3 attempts") && e.getMessage().contains("daemon running"), e.getMessage());
  }

  @Test
  void bytesThatDoNotMatchTheCidAreNeverReturned() throws IOException {
    URI api = serve(cmd -> new Reply(200, "a sealed shard, altered".getBytes(StandardCharsets.UTF_8)));
    IntegrityException e = assertThrows(IntegrityException.class, () -> IpfsBlockstore.at(api).get(CID));
    assertTrue(e.getMessage().contains(CID.toString()) && e.getMessage().contains(api.toString()), e.getMessage());
  }

  @Test
  void aNodeReportingAnotherCidForAPutIsRejected() throws IOException {
    Cid other = Cid.raw("something else".getBytes(StandardCharsets.UTF_8));
    URI api = serve(cmd -> Reply.ok("{\"Key\":\"" + other + "\",\"Size\":" + BLOCK.length + "}"));
    IntegrityException e = assertThrows(IntegrityException.class, () -> IpfsBlockstore.at(api).put(Cid.RAW, BLOCK));
    assertTrue(e.getMessage().contains(CID.toString()) && e.getMessage().contains(other.toString()), e.getMessage());
  }

  @Test
  void sizeAsAStringAndBase58CidsFromOlderNodesAreUnderstood() throws IOException {
    // zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn is what js-ipfs writes for the raw CID of "hello world".
    byte[] hello = "hello world".getBytes(StandardCharsets.US_ASCII);
    URI api = serve(cmd -> Reply.ok("{\"Key\":\"zb2rhj7crUKTQYRGCRATFaQ6YFLTde2YzdqbbhAASkL9uRDXn\",\"Size\":\"11\"}"));
    assertEquals(Cid.raw(hello), IpfsBlockstore.at(api).put(Cid.RAW, hello));
  }

  @Test
  void aNodeErrorIsReportedWithTheNodesMessageAndNotRetried() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    URI api = serve(cmd -> {
      calls.incrementAndGet();
      return new Reply(500, "{\"Message\":\"invalid path \\\"x\\\"\",\"Code\":0,\"Type\":\"error\"}".getBytes(StandardCharsets.UTF_8));
    });
    CovenantException e = assertThrows(CovenantException.class, () -> IpfsBlockstore.at(api).withRetries(3, Duration.ofMillis(1)).pin(CID));
    assertTrue(e.getMessage().contains("invalid path") && e.getMessage().contains("pin/add"), e.getMessage());
    assertEquals(1, calls.get());
  }

  @Test
  void aTimedOutSearchIsAMissingBlockNamingTheCid() throws IOException {
    URI api = serve(cmd -> new Reply(500, "{\"Message\":\"Failed to get block: request timed out\",\"Code\":0,\"Type\":\"error\"}".getBytes(StandardCharsets.UTF_8)));
    MissingBlockException e = assertThrows(MissingBlockException.class, () -> IpfsBlockstore.at(api).get(CID));
    assertEquals(CID, e.cid());
    assertTrue(e.getMessage().startsWith("block " + CID + " is missing"), e.getMessage());
  }

  @Test
  void theNodesRawCopyOfAManifestIsAddressedByItsRawCid() throws IOException {
    byte[] manifest = "{\"manifest\":{}}".getBytes(StandardCharsets.UTF_8);
    Cid dagJson = Cid.of(Cid.DAG_JSON, manifest);
    String[] asked = new String[1];
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v0/", exchange -> {
      asked[0] = exchange.getRequestURI().getQuery();
      exchange.sendResponseHeaders(200, manifest.length);
      exchange.getResponseBody().write(manifest);
      exchange.close();
    });
    server.start();
    byte[] got = IpfsBlockstore.at(URI.create("http://127.0.0.1:" + server.getAddress().getPort())).get(dagJson);
    assertArrayEquals(manifest, got);
    assertTrue(asked[0].contains("arg=" + Cid.raw(manifest)), asked[0]);
  }
}
