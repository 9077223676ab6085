package io.covenant.core.keyrelease;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * A data owner's key service reached over mutual TLS at its organisation node ({@code POST /v1/key-release}): what an
 * enclave in another process uses. The node must present a certificate naming {@code owner}, so a coordinator that
 * hands the worker a wrong address reaches no key service at all. A refusal arrives as the same
 * {@link KeyReleaseRefusedException} an in-process key service throws; a node that cannot be reached is a
 * {@link KeyServiceUnavailableException} naming the organisation.
 */
public final class NodeKeyService implements KeyService {
  public static final String PATH = "/v1/key-release";
  /** The member of a key request's body that carries the stapled log update. */
  public static final String STAPLED_LOG = "log";
  private final OrgId owner;
  private final URI node;
  private final HttpClient http;
  private final Duration timeout;
  private final java.util.Optional<Json.JObject> stapledLog;

  public NodeKeyService(OrgId owner, URI node, MutualTls tls, Duration timeout) {
    this(owner, node, MutualTlsHttp.client(tls, timeout), timeout);
  }

  /**
   * As above over {@code http}, a {@link MutualTlsHttp#client} that the caller shares between key services: a worker
   * that asks the same nodes job after job then keeps one TLS connection per node instead of a handshake (and a new
   * client) per key. Every answer is still checked to come from {@code owner}'s certificate, whichever connection
   * carried it.
   */
  public NodeKeyService(OrgId owner, URI node, HttpClient http, Duration timeout) {
    this(owner, node, http, timeout, java.util.Optional.empty());
  }

  /**
   * As above, forwarding {@code stapledLog} (the log update the coordinator stapled to the job, see
   * {@link KeyService#release(KeyReleaseRequest, java.util.Optional)}) with every request as its member {@code "log"}.
   */
  public NodeKeyService(OrgId owner, URI node, HttpClient http, Duration timeout, java.util.Optional<Json.JObject> stapledLog) {
    this.owner = owner;
    this.node = node;
    this.http = http;
    this.timeout = timeout;
    this.stapledLog = stapledLog;
  }

  /** The body of a key request: the request's own members, and the stapled log update when there is one. */
  public static Json.JObject body(KeyReleaseRequest request, java.util.Optional<Json.JObject> stapledLog) {
    Json.JObject o = request.toJson();
    if (stapledLog.isEmpty()) return o;
    java.util.Map<String, Json> members = new java.util.LinkedHashMap<>(o.members());
    members.put(STAPLED_LOG, stapledLog.get());
    return new Json.JObject(members);
  }

  @Override
  public SealedMessage release(KeyReleaseRequest request) {
    HttpRequest req = HttpRequest.newBuilder(node.resolve(PATH)).timeout(timeout).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(request, stapledLog).encode())).build();
    HttpResponse<String> r;
    try {
      r = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new KeyServiceUnavailableException(owner, "the node of " + owner + " at " + node + " could not be reached for the key of " + request.dataset()
          + " (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); start " + owner
          + "'s node ('./covenant node --org " + owner + "'), then retry the job", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyServiceUnavailableException(owner, "interrupted while asking the node of " + owner + " for a key", e);
    }
    OrgId answered = r.sslSession().map(MutualTls::peerOf)
        .orElseThrow(() -> new KeyServiceUnavailableException(owner, "the node at " + node + " did not answer over mutual TLS", null));
    if (!answered.equals(owner)) {
      throw new KeyServiceUnavailableException(owner, "the node at " + node + " presented the certificate of " + answered + ", not of " + owner
          + ": the address given for " + owner + "'s node is wrong; nothing was asked of it", null);
    }
    Json.JObject body;
    try {
      body = Json.parseObject(r.body());
    } catch (RuntimeException e) {
      throw new KeyServiceUnavailableException(owner, "the node of " + owner + " answered " + r.statusCode() + " with a body that is not JSON", e);
    }
    if (r.statusCode() == 200) return SealedMessage.fromBytes(Base64.getDecoder().decode(body.string("sealed")));
    String message = body.string("error", "no reason given");
    if (r.statusCode() == 403 && body.members().containsKey("reason")) {
      KeyReleaseRefusedException.Reason reason;
      try {
        reason = KeyReleaseRefusedException.Reason.valueOf(body.string("reason").toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new CovenantException(owner + " refused the key of " + request.dataset() + " for a reason this version does not know (" + body.string("reason") + "): " + message);
      }
      throw new KeyReleaseRefusedException(reason, message);
    }
    throw new CovenantException("the node of " + owner + " answered " + r.statusCode() + " to the key request for " + request.dataset() + ": " + message);
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public String toString() {
    return "NodeKeyService[" + owner + " at " + node + "]";
  }
}
