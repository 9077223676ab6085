package io.covenant.storage.blockstore;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HttpBlockstore} against a coordinator that speaks the block routes but is not honest: it flips a bit of the
 * blocks it serves, serves a shorter copy, or reports another CID than the bytes sent. Each is caught, naming the
 * block; an honest coordinator's blocks come back byte for byte, and a block it lacks is a MissingBlockException.
 */
class CoordinatorServingAlteredBlocksIsCaught {
  private enum Behaviour { HONEST, FLIPS_A_BIT, TRUNCATES, REPORTS_ANOTHER_CID }

  private final Map<String, byte[]> held = new ConcurrentHashMap<>();
  private volatile Behaviour behaviour = Behaviour.HONEST;
  private HttpServer server;
  private HttpBlockstore store;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/blocks", this::handle);
    server.start();
    store = new HttpBlockstore(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api"));
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  /** The coordinator's block routes as docs/api.md describes them, with the dishonesty of the moment. */
  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      if (x.getRequestMethod().equals("PUT")) {
        byte[] block = x.getRequestBody().readAllBytes();
        long codec = HttpBlockstore.codecNamed(x.getRequestURI().getQuery().replace("codec=", ""));
        Cid cid = Cid.of(codec, block);
        held.put(cid.toString(), block);
        String reported = behaviour == Behaviour.REPORTS_ANOTHER_CID ? Cid.of(codec, new byte[] {1, 2, 3}).toString() : cid.toString();
        send(x, 201, ("{\"cid\":\"" + reported + "\"}").getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] block = held.get(path.substring(path.lastIndexOf('/') + 1));
      if (block == null) {
        send(x, 404, "{\"error\":\"not held\"}".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] served = block.clone();
      if (behaviour == Behaviour.FLIPS_A_BIT) served[served.length / 2] ^= 0x01;
      if (behaviour == Behaviour.TRUNCATES) served = java.util.Arrays.copyOf(served, served.length - 1);
      if (x.getRequestMethod().equals("HEAD")) {
        x.sendResponseHeaders(200, -1);
        return;
      }
      send(x, 200, served);
    }
  }

  private static void send(HttpExchange x, int status, byte[] body) throws IOException {
    x.sendResponseHeaders(status, body.length);
    x.getResponseBody().write(body);
  }

  private static byte[] block(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void anHonestCoordinatorsBlocksComeBackWhole() {
    byte[] shard = block(200_000, 1);
    byte[] manifest = "{\"manifest\":{}}".getBytes(StandardCharsets.UTF_8);
    Cid s = store.put(Cid.RAW, shard);
    Cid m = store.put(Cid.DAG_JSON, manifest);
    assertEquals(Cid.of(Cid.RAW, shard), s);
    assertEquals(Cid.of(Cid.DAG_JSON, manifest), m);
    assertArrayEquals(shard, store.get(s));
    assertArrayEquals(manifest, store.get(m));
    assertTrue(store.has(s));
    Cid absent = Cid.of(Cid.RAW, block(10, 2));
    assertFalse(store.has(absent));
    MissingBlockException e = assertThrows(MissingBlockException.class, () -> store.get(absent));
    assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
  }

  @Test
  void aFlippedBitIsRefusedNamingTheBlock() {
    Cid cid = store.put(Cid.RAW, block(50_000, 3));
    behaviour = Behaviour.FLIPS_A_BIT;
    IntegrityException e = assertThrows(IntegrityException.class, () -> store.get(cid));
    assertTrue(e.getMessage().contains(cid.toString()) && e.getMessage().contains("do not match its CID"), e.getMessage());
    assertThrows(IntegrityException.class, () -> store.get(cid, new byte[50_000]), "buffered reads are checked the same way");
  }

  @Test
  void aTruncatedCopyIsRefused() {
    Cid cid = store.put(Cid.RAW, block(50_000, 4));
    behaviour = Behaviour.TRUNCATES;
    IntegrityException e = assertThrows(IntegrityException.class, () -> store.get(cid));
    assertTrue(e.getMessage().contains("49999 bytes"), e.getMessage());
  }

  @Test
  void aCoordinatorReportingAnotherCidIsCaughtOnPut() {
    behaviour = Behaviour.REPORTS_ANOTHER_CID;
    byte[] b = block(1_000, 5);
    IntegrityException e = assertThrows(IntegrityException.class, () -> store.put(Cid.RAW, b));
    assertTrue(e.getMessage().contains(Cid.of(Cid.RAW, b).toString()), e.getMessage());
  }

  @Test
  void aCodecTheCoordinatorDoesNotStoreIsRefusedBeforeSending() {
    assertThrows(io.covenant.core.error.MalformedInputException.class, () -> store.put(Cid.DAG_CBOR, new byte[] {1}));
    assertTrue(held.isEmpty());
  }
}
