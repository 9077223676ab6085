package io.covenant.storage.blockstore;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The coordinator's block routes as a block store: {@code PUT /api/blocks?codec=raw|dag-json} and
 * {@code GET /api/blocks/{cid}}. An organisation's node keeps its sealed shards and manifests at the coordinator this
 * way, over the client it is given (in a deployment, one with the organisation's mutual-TLS context).
 *
 * <p><b>Trust.</b> The coordinator is not trusted with the bytes: every block it returns is checked against its CID
 * (an {@link IntegrityException} naming the CID and the coordinator otherwise), and every put checks that the CID the
 * coordinator reports is the one computed here, so a coordinator that stored other bytes is caught at once.
 */
public final class HttpBlockstore implements Blockstore {
  /**
   * Largest block the coordinator takes or this client reads: a sealed shard is at most 1 MiB
   * ({@code DatasetPublisher.MAX_SEALED_SHARD_BYTES}); a manifest grows by about 130 bytes a shard, so 4 MiB holds the
   * manifest of a dataset of some 30,000 shards (30 GiB sealed). The same bound as {@link IpfsBlockstore}'s reads.
   */
  public static final int MAX_BLOCK_BYTES = 4 << 20;

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private final HttpClient http;
  private final URI api;

  /** {@code api} is the coordinator's API root, for instance {@code https://coordinator:8480/api}. */
  public HttpBlockstore(HttpClient http, URI api) {
    if (http == null || api == null || api.getScheme() == null || !(api.getScheme().equals("http") || api.getScheme().equals("https"))) {
      throw new MalformedInputException("a coordinator block store needs an HTTP client and the API's http(s) URL, for instance "
          + "https://coordinator:8480/api; got " + api);
    }
    this.http = http;
    String s = api.toString();
    this.api = URI.create(s.endsWith("/") ? s : s + "/");
  }

  /** The codec's name in the API's {@code ?codec=}: {@code raw} or {@code dag-json}. */
  public static String codecName(long codec) {
    if (codec == Cid.RAW) return "raw";
    if (codec == Cid.DAG_JSON) return "dag-json";
    throw new MalformedInputException("codec 0x" + Long.toHexString(codec) + " is not stored by the coordinator; blocks are raw (shards) or dag-json (manifests)");
  }

  /** The codec named {@code raw} or {@code dag-json}. */
  public static long codecNamed(String name) {
    if ("raw".equals(name)) return Cid.RAW;
    if ("dag-json".equals(name)) return Cid.DAG_JSON;
    throw new MalformedInputException("codec '" + name + "' is not one the coordinator stores; give codec=raw (a shard) or codec=dag-json (a manifest)");
  }

  @Override
  public Cid put(long codec, byte[] block) {
    return put(CryptoSuite.INTL, codec, block);
  }

  /**
   * Stores {@code block} at the coordinator under the CID of {@code suite}'s hash: the international suite's as before
   * ({@code ?codec=} alone), the national suite's with {@code &hash=sm3-256} (the coordinator keeps its blocks in its own
   * block store, which hashes with either).
   */
  @Override
  public Cid put(CryptoSuite suite, long codec, byte[] block) {
    Cid expected = Cid.of(suite, codec, block);
    if (block.length > MAX_BLOCK_BYTES) {
      throw new MalformedInputException("block " + expected + " is " + block.length + " bytes; the coordinator stores blocks of at most " + MAX_BLOCK_BYTES);
    }
    String query = "blocks?codec=" + codecName(codec) + (suite.isNational() ? "&hash=" + suite.multihashName() : "");
    HttpRequest request = HttpRequest.newBuilder(api.resolve(query)).timeout(TIMEOUT)
        .header("Content-Type", "application/octet-stream").PUT(HttpRequest.BodyPublishers.ofByteArray(block)).build();
    HttpResponse<InputStream> r = send(request, "storing block " + expected);
    byte[] body = read(r, "block " + expected);
    if (r.statusCode() != 201) {
      throw new CovenantException(describe() + " refused to store block " + expected + " (HTTP " + r.statusCode() + "): " + errorOf(body));
    }
    String reported;
    try {
      reported = Json.parseObject(new String(body, StandardCharsets.UTF_8)).string("cid");
    } catch (MalformedInputException e) {
      throw new CovenantException(describe() + " answered the put of block " + expected + " without a CID: " + errorOf(body), e);
    }
    if (!reported.equals(expected.toString())) {
      throw new IntegrityException(describe() + " stored block " + expected + " under " + reported
          + ": it hashed other bytes than were sent; something between us altered the block, or the coordinator is not honest");
    }
    return expected;
  }

  @Override
  public byte[] get(Cid cid) {
    HttpResponse<InputStream> r = send(HttpRequest.newBuilder(api.resolve("blocks/" + cid)).timeout(TIMEOUT).GET().build(), "reading block " + cid);
    byte[] body = read(r, "block " + cid);
    if (r.statusCode() == 404) {
      throw new MissingBlockException(cid, describe() + " does not hold it; publish it there again, or read from a store that holds it");
    }
    if (r.statusCode() != 200) {
      throw new CovenantException(describe() + " did not return block " + cid + " (HTTP " + r.statusCode() + "): " + errorOf(body));
    }
    if (!cid.matches(body)) {
      throw new IntegrityException(describe() + " returned " + body.length + " bytes for block " + cid + " that do not match its CID: "
          + "its copy is corrupted or was replaced, or something between us altered it; the bytes were discarded");
    }
    return body;
  }

  @Override
  public boolean has(Cid cid) {
    HttpRequest head = HttpRequest.newBuilder(api.resolve("blocks/" + cid)).timeout(TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<InputStream> r = send(head, "asking for block " + cid);
    read(r, "block " + cid);
    if (r.statusCode() == 200) return true;
    if (r.statusCode() == 404) return false;
    throw new CovenantException(describe() + " answered HTTP " + r.statusCode() + " when asked whether it holds block " + cid);
  }

  private String describe() {
    return "the coordinator at " + api;
  }

  @Override
  public String toString() {
    return "coordinator block store " + api;
  }

  private HttpResponse<InputStream> send(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new CovenantException(describe() + " could not be reached while " + what + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); start the coordinator, or check its address and this node's certificate", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while " + what + " at " + describe(), e);
    }
  }

  /** The answer's body, refusing one larger than any block (a coordinator cannot make this client buffer without end). */
  private byte[] read(HttpResponse<InputStream> r, String what) {
    try (InputStream in = r.body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BLOCK_BYTES) {
          throw new IntegrityException(describe() + " sent more than " + MAX_BLOCK_BYTES + " bytes for " + what
              + "; no Covenant block is that large, so the answer was discarded");
        }
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new CovenantException(describe() + " broke off its answer for " + what + ": " + e.getMessage() + "; the partial answer was discarded, try again", e);
    }
  }

  private static String errorOf(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      return Json.parseObject(text).string("error");
    } catch (RuntimeException e) {
      String s = text.strip();
      return s.isEmpty() ? "(no message)" : s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
  }
}
