package io.covenant.storage.blockstore;

import io.covenant.core.cid.Base32;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A block store on an IPFS node, spoken to over the Kubo HTTP RPC API ({@code /api/v0/...}, POST only), the API
 * that Kubo, js-ipfs and the IPFS Cluster proxy all serve. Written on {@code java.net.http}; no IPFS library.
 *
 * <p><b>Addresses.</b> Covenant's {@link Cid} is authoritative. Every block is stored at the node as a <i>raw</i>
 * block ({@code block/put?format=raw&mhtype=sha2-256}, the form both Kubo and js-ipfs honour; js-ipfs ignores
 * {@code cid-codec}), so the node's CID of any block is CIDv1 raw ({@code bafkrei...}) over the same sha2-256
 * multihash as ours. A DAG-JSON manifest {@code bagu...} is therefore held at the node under
 * {@code bafkrei...} with the same digest; {@link #nodeCid} is that mapping, and every put checks that the CID
 * the node reports equals it. Both nodes key their block stores by multihash, so IPFS tools may still address the
 * manifest by its DAG-JSON CID; {@link #pin} does exactly that, which makes a recursive pin of a manifest pin
 * every shard it links.
 *
 * <p><b>Trust.</b> The node is never trusted: every block it returns is checked against its CID and a mismatch is
 * an {@link IntegrityException} naming the CID and the node.
 *
 * <p><b>Time.</b> Every call has a timeout, sent to the node too ({@code timeout=10s}) because a node asked for a
 * block it lacks searches the network and would otherwise never answer. A block not found within the timeout is a
 * {@link MissingBlockException}. Connection failures and 502/503/504 answers are retried with exponential backoff
 * a bounded number of times; errors the node reports about a request (a Kubo JSON error) are not.
 */
public final class IpfsBlockstore implements Blockstore {
  /** Largest answer accepted for one block: Kubo refuses blocks over 1 MiB by default; this leaves room for larger. */
  private static final int MAX_BLOCK_BYTES = 4 << 20;
  private static final SecureRandom BOUNDARIES = new SecureRandom();

  private final URI api;
  private final Duration timeout;
  private final int retries;
  private final Duration backoff;
  private final HttpClient http;

  private IpfsBlockstore(URI api, Duration timeout, int retries, Duration backoff, HttpClient http) {
    this.api = api;
    this.timeout = timeout;
    this.retries = retries;
    this.backoff = backoff;
    this.http = http;
  }

  /**
   * The node whose RPC API is at {@code apiBase} (e.g. {@code http://127.0.0.1:5001}), with a 10 s timeout per call
   * and 3 retries starting at 200 ms backoff. Nothing is sent until the first call; use {@link #version()} to check.
   */
  public static IpfsBlockstore at(URI apiBase) {
    if (apiBase == null || apiBase.getScheme() == null || !(apiBase.getScheme().equals("http") || apiBase.getScheme().equals("https")) || apiBase.getHost() == null) {
      throw new MalformedInputException("IPFS API address '" + apiBase + "' is not an http(s) URL; use e.g. http://127.0.0.1:5001");
    }
    String text = apiBase.toString();
    URI base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    return new IpfsBlockstore(base, Duration.ofSeconds(10), 3, Duration.ofMillis(200), http);
  }

  /** The same node with another per-call timeout (also the time a missing block is searched for). */
  public IpfsBlockstore withTimeout(Duration perCall) {
    if (perCall == null || perCall.toMillis() < 100) throw new MalformedInputException("an IPFS call timeout must be at least 100 ms, got " + perCall);
    return new IpfsBlockstore(api, perCall, retries, backoff, http);
  }

  /** The same node with another retry policy: up to {@code retries} more attempts, waiting backoff, 2x backoff, ... */
  public IpfsBlockstore withRetries(int retries, Duration backoff) {
    if (retries < 0 || retries > 10 || backoff == null || backoff.isNegative()) {
      throw new MalformedInputException("IPFS retries must be 0 to 10 with a non-negative backoff, got " + retries + " and " + backoff);
    }
    return new IpfsBlockstore(api, timeout, retries, backoff, http);
  }

  /** The CID the node stores {@code cid}'s bytes under: CIDv1, raw codec, same sha2-256 multihash. */
  public static Cid nodeCid(Cid cid) {
    return cid.codec() == Cid.RAW ? cid : Cid.ofDigest(Cid.RAW, cid.sha256());
  }

  @Override
  public Cid put(long codec, byte[] block) {
    Cid cid = Cid.of(codec, block);
    Cid expected = nodeCid(cid);
    String boundary = "covenant-" + HexFormat.of().formatHex(randomBytes());
    byte[] body = multipart(boundary, block);
    Json.JObject answer = callJson("block/put", Map.of("format", "raw", "mhtype", Cid.SHA2_256_NAME, "mhlen", "32", "cid-base", "base32", "pin", "false"),
        HttpRequest.BodyPublishers.ofByteArray(body), "multipart/form-data; boundary=" + boundary, "block " + cid, null);
    Cid reported = parseNodeCid(stringMember(answer, "Key", "block/put", cid), "block/put", cid);
    if (!reported.equals(expected)) {
      throw new IntegrityException("IPFS node " + api + " stored block " + cid + " under " + reported + " instead of " + expected
          + ": it hashed other bytes or uses another hash; check that it is a Kubo-compatible node and that nothing rewrites requests on the way");
    }
    long size = sizeMember(answer, cid);
    if (size >= 0 && size != block.length) {
      throw new IntegrityException("IPFS node " + api + " reports block " + cid + " as " + size + " bytes, but " + block.length + " were sent");
    }
    return cid;
  }

  @Override
  public byte[] get(Cid cid) {
    byte[] block = call("block/get", Map.of("arg", nodeCid(cid).toString()), HttpRequest.BodyPublishers.noBody(), null, "block " + cid, cid);
    if (!cid.matches(block)) {
      throw new IntegrityException("IPFS node " + api + " returned " + block.length + " bytes for block " + cid + " that do not match its CID: "
          + "the node's copy is corrupted or truncated, or something between us altered it; the bytes were discarded");
    }
    return block;
  }

  /**
   * Whether the node holds the block itself: asked with {@code offline=true} (Kubo answers at once without searching
   * peers); a node that ignores it (js-ipfs) is given the call timeout to find it.
   */
  @Override
  public boolean has(Cid cid) {
    try {
      callJson("block/stat", Map.of("arg", nodeCid(cid).toString(), "offline", "true", "cid-base", "base32"), HttpRequest.BodyPublishers.noBody(), null,
          "block " + cid, cid);
      return true;
    } catch (MissingBlockException e) {
      return false;
    }
  }

  /**
   * Pins {@code cid} at the node (recursively: a manifest's DAG-JSON CID pins every shard it links), so garbage
   * collection keeps it. Every linked block must be at the node or reachable within the timeout.
   */
  public void pin(Cid cid) {
    callJson("pin/add", Map.of("arg", cid.toString(), "recursive", "true", "cid-base", "base32"), HttpRequest.BodyPublishers.noBody(), null,
        "pin of " + cid, cid);
  }

  /** Removes a pin set by {@link #pin}; the blocks stay until the node collects garbage. */
  public void unpin(Cid cid) {
    callJson("pin/rm", Map.of("arg", cid.toString(), "recursive", "true", "cid-base", "base32"), HttpRequest.BodyPublishers.noBody(), null,
        "unpin of " + cid, null);
  }

  /** Whether the node has a pin (direct, recursive or indirect) on {@code cid}. */
  public boolean isPinned(Cid cid) {
    try {
      Json.JObject answer = callJson("pin/ls", Map.of("arg", cid.toString(), "cid-base", "base32"), HttpRequest.BodyPublishers.noBody(), null,
          "pin listing of " + cid, null);
      Json keys = answer.members().get("Keys");
      return keys instanceof Json.JObject o && !o.members().isEmpty();
    } catch (IpfsRequestRefused e) {
      if (e.getMessage().contains("not pinned")) return false;
      throw e;
    }
  }

  /** The node's version answer, e.g. {@code {"Version":"0.29.0",...}}: a cheap check that the node is there. */
  public String version() {
    Json.JObject answer = callJson("version", Map.of(), HttpRequest.BodyPublishers.noBody(), null, "its version", null);
    return stringMember(answer, "Version", "version", null);
  }

  /** The API base this store talks to. */
  public URI api() {
    return api;
  }

  @Override
  public String toString() {
    return "IPFS node " + api;
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** A request the node answered with an error of its own (Kubo's JSON error body): retrying would not help. */
  static final class IpfsRequestRefused extends CovenantException {
    IpfsRequestRefused(String message) {
      super(message);
    }
  }

  private Json.JObject callJson(String command, Map<String, String> query, HttpRequest.BodyPublisher body, String contentType, String what, Cid missing) {
    byte[] answer = call(command, query, body, contentType, what, missing);
    try {
      return Json.parseObject(firstLine(answer));
    } catch (MalformedInputException e) {
      throw new CovenantException("IPFS node " + api + " answered " + command + " for " + what + " with something that is not JSON: "
          + preview(answer) + "; is " + api + " the node's RPC API (port 5001), not its gateway?", e);
    }
  }

  /** One RPC call with timeout, bounded retries on transient failures, and errors that name the node and the block. */
  private byte[] call(String command, Map<String, String> query, HttpRequest.BodyPublisher body, String contentType, String what, Cid missing) {
    Map<String, String> params = new java.util.LinkedHashMap<>(query);
    params.put("timeout", timeout.toMillis() + "ms");
    URI uri = URI.create(api + "/api/v0/" + command + "?" + encode(params));
    // The node gives up at `timeout`; the client waits a little longer so the node's own answer arrives first.
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout.plusSeconds(2)).POST(body);
    if (contentType != null) request.header("Content-Type", contentType);
    long wait = backoff.toMillis();
    for (int attempt = 0; ; attempt++) {
      boolean last = attempt >= retries;
      HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (HttpConnectTimeoutException | ConnectException e) {
        if (!last) {
          sleep(wait);
          wait *= 2;
          continue;
        }
        throw new CovenantException("IPFS node " + api + " refused or did not accept the connection for " + command + " of " + what + " after "
            + (attempt + 1) + " attempts: is the daemon running and its API bound to that address?", e);
      } catch (HttpTimeoutException e) {
        throw new CovenantException("IPFS node " + api + " did not answer " + command + " for " + what + " within " + seconds(timeout)
            + ": is the daemon running and responsive?", e);
      } catch (IOException e) {
        if (!last) {
          sleep(wait);
          wait *= 2;
          continue;
        }
        throw new CovenantException("IPFS node " + api + " failed during " + command + " for " + what + " after " + (attempt + 1) + " attempts: "
            + e.getMessage() + "; check the node's log", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CovenantException("call to IPFS node " + api + " (" + command + " for " + what + ") was interrupted", e);
      }
      int status = response.statusCode();
      byte[] payload;
      try {
        payload = readLimited(response, command, what);
      } catch (BrokenOffAnswer e) {
        // Every call here is idempotent (blocks are content-addressed, pins are sets), so an answer cut off half-way is
        // asked for again, like a connection that failed; the partial answer is discarded either way.
        if (!last) {
          sleep(wait);
          wait *= 2;
          continue;
        }
        throw new CovenantException("IPFS node " + api + " broke off its answer to " + command + " for " + what + " " + (attempt + 1) + " times: "
            + e.getCause().getMessage() + "; the partial answers were discarded, check the node's log and try again", e.getCause());
      }
      if (status == 200) return payload;
      String nodeMessage = kuboError(payload);
      if (nodeMessage != null) {
        String lower = nodeMessage.toLowerCase(Locale.ROOT);
        if (missing != null && (lower.contains("timed out") || lower.contains("not found") || lower.contains("could not find") || lower.contains("deadline exceeded"))) {
          throw new MissingBlockException(missing, "IPFS node " + api + " does not hold it and found no peer with it within " + seconds(timeout)
              + " (" + nodeMessage + "); publish it to this node again, or read it from a store that holds it");
        }
        throw new IpfsRequestRefused("IPFS node " + api + " refused " + command + " for " + what + ": " + nodeMessage);
      }
      boolean transientStatus = status == 502 || status == 503 || status == 504 || status == 500;
      if (transientStatus && !last) {
        sleep(wait);
        wait *= 2;
        continue;
      }
      throw new CovenantException("IPFS node " + api + " answered " + command + " for " + what + " with HTTP " + status
          + (transientStatus ? " after " + (attempt + 1) + " attempts" : "") + ": " + preview(payload)
          + "; check that " + api + " is the node's RPC API and see the node's log");
    }
  }

  /** The node's answer stopped before its end (the connection closed or reset while the body was read). */
  private static final class BrokenOffAnswer extends Exception {
    BrokenOffAnswer(IOException cause) {
      super(cause);
    }
  }

  private byte[] readLimited(HttpResponse<InputStream> response, String command, String what) throws BrokenOffAnswer {
    try (InputStream in = response.body()) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        if (out.size() > MAX_BLOCK_BYTES) {
          throw new IntegrityException("IPFS node " + api + " sent more than " + MAX_BLOCK_BYTES + " bytes for " + command + " of " + what
              + "; no Covenant block is that large, so the answer was discarded");
        }
      }
      return out.toByteArray();
    } catch (HttpTimeoutException e) {
      throw new CovenantException("IPFS node " + api + " did not finish answering " + command + " for " + what + " within " + seconds(timeout)
          + ": is the daemon overloaded?", e);
    } catch (IOException e) {
      throw new BrokenOffAnswer(e);
    }
  }

  /** Kubo and js-ipfs report command errors as {@code {"Message": "...", "Code": 0, "Type": "error"}}. */
  private static String kuboError(byte[] payload) {
    try {
      Json.JObject o = Json.parseObject(firstLine(payload));
      if (o.members().get("Message") instanceof Json.JString m && o.members().get("Type") instanceof Json.JString t && t.value().equals("error")) {
        return m.value();
      }
    } catch (RuntimeException notJson) {
      // Not a node's error body (a proxy's HTML page, say): the caller reports the status.
    }
    return null;
  }

  private String stringMember(Json.JObject answer, String name, String command, Cid cid) {
    if (answer.members().get(name) instanceof Json.JString s) return s.value();
    throw new CovenantException("IPFS node " + api + " answered " + command + (cid == null ? "" : " for " + cid) + " without a '" + name
        + "' field: " + answer.encode() + "; is it a Kubo-compatible node?");
  }

  /** {@code Size} is a number in Kubo and js-ipfs, a string in some older versions and proxies; -1 if absent. */
  private long sizeMember(Json.JObject answer, Cid cid) {
    Json size = answer.members().get("Size");
    try {
      if (size instanceof Json.JNumber n) return n.value().longValueExact();
      if (size instanceof Json.JString s) return Long.parseLong(s.value());
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CovenantException("IPFS node " + api + " answered block/put for " + cid + " with Size " + size.encode() + ", not a whole number");
    }
    return -1;
  }

  /** Parses a CID the node wrote: base32 as asked, or base58btc ('z') from nodes that ignore cid-base. */
  private Cid parseNodeCid(String text, String command, Cid ours) {
    try {
      if (text.startsWith("z")) return Cid.parse("b" + Base32.encode(Base58.decode(text.substring(1))));
      return Cid.parse(text);
    } catch (MalformedInputException e) {
      throw new IntegrityException("IPFS node " + api + " answered " + command + " for " + ours + " with CID '" + text + "' that Covenant cannot read: "
          + e.getMessage() + "; use a node that writes CIDv1", e);
    }
  }

  private static byte[] multipart(String boundary, byte[] block) {
    byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"block\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[head.length + block.length + tail.length];
    System.arraycopy(head, 0, body, 0, head.length);
    System.arraycopy(block, 0, body, head.length, block.length);
    System.arraycopy(tail, 0, body, head.length + block.length, tail.length);
    return body;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[12];
    BOUNDARIES.nextBytes(b);
    return b;
  }

  private static String encode(Map<String, String> params) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (!sb.isEmpty()) sb.append('&');
      sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private static byte[] firstLine(byte[] payload) {
    // Streaming commands (pin/add with progress) send one JSON object per line; the others send one object.
    int end = payload.length;
    for (int i = 0; i < payload.length; i++) {
      if (payload[i] == '\n' && i + 1 < payload.length) {
        end = i;
        break;
      }
    }
    return java.util.Arrays.copyOf(payload, end);
  }

  private static String preview(byte[] payload) {
    String s = new String(payload, 0, Math.min(payload.length, 200), StandardCharsets.UTF_8).replaceAll("\\s+", " ").strip();
    return s.isEmpty() ? "(empty body)" : "'" + s + "'";
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while waiting to retry an IPFS call", e);
    }
  }

  /** Base58btc (the Bitcoin alphabet), multibase 'z': only decoding, for CIDs from nodes that ignore cid-base. */
  static final class Base58 {
    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    static byte[] decode(String text) {
      java.math.BigInteger n = java.math.BigInteger.ZERO;
      java.math.BigInteger base = java.math.BigInteger.valueOf(58);
      for (char c : text.toCharArray()) {
        int d = ALPHABET.indexOf(c);
        if (d < 0) throw new MalformedInputException("'" + c + "' is not a base58btc character");
        n = n.multiply(base).add(java.math.BigInteger.valueOf(d));
      }
      byte[] raw = n.toByteArray();
      int strip = raw.length > 1 && raw[0] == 0 ? 1 : 0;
      int zeros = 0;
      while (zeros < text.length() && text.charAt(zeros) == '1') zeros++;
      byte[] out = new byte[zeros + raw.length - strip];
      System.arraycopy(raw, strip, out, zeros, raw.length - strip);
      return out;
    }
  }
}
