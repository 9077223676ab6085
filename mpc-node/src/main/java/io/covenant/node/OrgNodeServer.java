package io.covenant.node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.node.partyjob.PartyJobRefusedException;
import io.covenant.node.partyjob.PartyJobRequest;
import io.covenant.node.partyjob.PartyJobService;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.core.keyrelease.NodeKeyService;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Base64;

/**
 * One organisation's node as the other processes reach it: its key service over mutual TLS ({@code POST
 * /v1/key-release}, see {@link NodeKeyService} for the client) and {@code GET /v1/health}. Only consortium members get
 * through the handshake; who may have a key is decided by the key service itself (attestation, ledger, policy), so the
 * caller is only logged.
 *
 * <p>Refusals answer 403 with the rule's wire name ({@code {"error", "reason"}}), malformed requests 400; any other
 * failure 500 with the message, which never holds key material (the key service's messages name rules, datasets and
 * jobs only).
 */
public final class OrgNodeServer implements AutoCloseable {
  private final HttpsServer server;
  private final OrgId org;
  private final URI uri;

  private OrgNodeServer(HttpsServer server, OrgId org, URI uri) {
    this.server = server;
    this.org = org;
    this.uri = uri;
  }

  /** Path of the witness endpoint: the log's operator asks the node to cosign a checkpoint. */
  public static final String COSIGN = "/v1/cosign";

  /** Listens on {@code bind} (port 0 takes a free one) and serves {@code keys} for {@code tls.self()}. */
  public static OrgNodeServer start(InetSocketAddress bind, MutualTls tls, KeyService keys, PrintStream log, Clock clock) {
    return start(bind, tls, keys, java.util.Optional.empty(), log, clock);
  }

  /**
   * As {@link #start(InetSocketAddress, MutualTls, KeyService, PrintStream, Clock)}, and, when {@code cosigner} is
   * given, witnesses the log: {@code POST /v1/cosign} with a signed checkpoint answers the node's cosignature, or 409
   * naming the rollback or fork it refuses.
   */
  public static OrgNodeServer start(InetSocketAddress bind, MutualTls tls, KeyService keys, java.util.Optional<java.util.function.Function<io.covenant.ledger.SignedCheckpoint, io.covenant.ledger.Cosignature>> cosigner,
      PrintStream log, Clock clock) {
    return start(bind, tls, keys, cosigner, java.util.Optional.empty(), log, clock);
  }

  /**
   * As above, and, when {@code parties} is given, takes seats in multi-party jobs: {@code POST /v1/party-jobs/prepare}
   * and {@code /v1/party-jobs/run}, from the log's operator only (the coordinator schedules; the node checks the ledger).
   */
  public static OrgNodeServer start(InetSocketAddress bind, MutualTls tls, KeyService keys, java.util.Optional<java.util.function.Function<io.covenant.ledger.SignedCheckpoint, io.covenant.ledger.Cosignature>> cosigner,
      java.util.Optional<PartyJobService> parties, PrintStream log, Clock clock) {
    return start(bind, tls, keys, cosigner, parties, java.util.List.of(), log, clock);
  }

  /** Routes an engine adds to the node (each engine's own handler class registers its paths). */
  public interface Routes {
    void register(HttpsServer server, OrgId self, PrintStream log, Clock clock);
  }

  /** As above, with the routes of further engines ({@code extra}: e.g. the he engine's {@code /v1/he-jobs/...}). */
  public static OrgNodeServer start(InetSocketAddress bind, MutualTls tls, KeyService keys, java.util.Optional<java.util.function.Function<io.covenant.ledger.SignedCheckpoint, io.covenant.ledger.Cosignature>> cosigner,
      java.util.Optional<PartyJobService> parties, java.util.List<Routes> extra, PrintStream log, Clock clock) {
    // Party jobs hold a thread for the whole computation; more threads keep key release and cosigning answering meanwhile.
    HttpsServer server = MutualTlsHttp.server(bind, tls, parties.isPresent() || !extra.isEmpty() ? 8 : 4);
    for (Routes r : extra) r.register(server, tls.self(), log, clock);
    parties.ifPresent(p -> {
      server.createContext(PartyJobRequest.PREPARE, ex -> operatorStep(ex, tls.self(), p.operator(), "party job", "prepare", log, clock,
          () -> p.prepare(PartyJobRequest.Prepare.fromJson(MutualTlsHttp.body(ex)))));
      server.createContext(PartyJobRequest.RUN, ex -> operatorStep(ex, tls.self(), p.operator(), "party job", "run", log, clock,
          () -> p.run(PartyJobRequest.Run.fromJson(MutualTlsHttp.body(ex)))));
    });
    OrgId org = tls.self();
    cosigner.ifPresent(c -> server.createContext(COSIGN, ex -> {
      try (ex) {
        if (!"POST".equals(ex.getRequestMethod())) {
          MutualTlsHttp.error(ex, 405, "use POST " + COSIGN);
          return;
        }
        io.covenant.ledger.SignedCheckpoint cp;
        try {
          cp = io.covenant.ledger.SignedCheckpoint.fromJson(MutualTlsHttp.body(ex).object("checkpoint"));
        } catch (MalformedInputException e) {
          MutualTlsHttp.error(ex, 400, "the checkpoint is malformed: " + e.getMessage());
          return;
        }
        try {
          MutualTlsHttp.respond(ex, 200, c.apply(cp).toJson());
        } catch (CovenantException e) {
          log.println(clock.instant() + " " + org + " refused to cosign the checkpoint of " + cp.treeSize() + " entries: " + e.getMessage());
          MutualTlsHttp.error(ex, 409, e.getMessage());
        }
      }
    }));
    server.createContext(NodeKeyService.PATH, ex -> {
      try (ex) {
        if (!"POST".equals(ex.getRequestMethod())) {
          MutualTlsHttp.error(ex, 405, "use POST " + NodeKeyService.PATH);
          return;
        }
        OrgId caller = MutualTlsHttp.caller(ex);
        KeyReleaseRequest request;
        java.util.Optional<Json.JObject> stapledLog;
        try {
          Json.JObject body = MutualTlsHttp.body(ex);
          request = KeyReleaseRequest.fromJson(body);
          Json staple = body.members().get(NodeKeyService.STAPLED_LOG);
          if (staple != null && !(staple instanceof Json.JObject)) throw new MalformedInputException("its \"" + NodeKeyService.STAPLED_LOG + "\" member must be a log update object");
          stapledLog = java.util.Optional.ofNullable((Json.JObject) staple);
        } catch (MalformedInputException e) {
          MutualTlsHttp.error(ex, 400, "the key-release request is malformed: " + e.getMessage());
          return;
        }
        answer(ex, org, caller, request, stapledLog, keys, log, clock);
      }
    });
    server.createContext("/v1/health", ex -> {
      try (ex) {
        MutualTlsHttp.respond(ex, 200, Json.obj("org", org.value(), "status", "ok"));
      }
    });
    server.start();
    return new OrgNodeServer(server, org, MutualTlsHttp.uriOf(server));
  }

  private static void answer(HttpExchange ex, OrgId org, OrgId caller, KeyReleaseRequest request, java.util.Optional<Json.JObject> stapledLog, KeyService keys,
      PrintStream log, Clock clock) throws IOException {
    String what = request.dataset() + " in " + request.job() + " (asked by " + caller + ")";
    try {
      SealedMessage sealed = keys.release(request, stapledLog);
      log.println(clock.instant() + " " + org + " released the key of " + what);
      MutualTlsHttp.respond(ex, 200, Json.obj("sealed", Base64.getEncoder().encodeToString(sealed.toBytes())));
    } catch (KeyReleaseRefusedException e) {
      log.println(clock.instant() + " " + org + " refused the key of " + what + ": " + KeyReleaseRefusedException.wireName(e.reason()));
      MutualTlsHttp.respond(ex, 403, Json.obj("error", e.getMessage(), "reason", KeyReleaseRefusedException.wireName(e.reason())));
    } catch (MalformedInputException e) {
      MutualTlsHttp.error(ex, 400, e.getMessage());
    } catch (IntegrityException e) {
      log.println(clock.instant() + " " + org + " could not release the key of " + what + ": " + e.getMessage());
      MutualTlsHttp.error(ex, 422, e.getMessage());
    } catch (CovenantException e) {
      log.println(clock.instant() + " " + org + " failed on the key of " + what + ": " + e.getMessage());
      MutualTlsHttp.error(ex, 500, org + "'s node failed: " + e.getMessage());
    } catch (RuntimeException e) {
      // Unexpected: the message could come from anywhere, so it stays in the node's own log only.
      log.println(clock.instant() + " " + org + " failed unexpectedly on the key of " + what + ": " + e);
      MutualTlsHttp.error(ex, 500, org + "'s node failed unexpectedly; see its log");
    }
  }

  /** One step of a job the operator schedules at this node. */
  public interface Step {
    Json.JObject answer() throws IOException;
  }

  /**
   * Runs {@code body} for a POST from the log's operator only, answering its JSON, or the refusal (403, with the rule's
   * wire name for a key-release refusal, {@code kind-refused} for the engine's own), 400 for malformed input, 500 for a
   * failure (with the message, which never holds key material, or for an unexpected failure a pointer to the node's log).
   * Every engine's node routes answer through it ({@code kind}: "party job", "federated job", "he job").
   */
  public static void operatorStep(HttpExchange ex, OrgId org, OrgId operator, String kind, String step, PrintStream log, Clock clock, Step body)
      throws IOException {
    try (ex) {
      if (!"POST".equals(ex.getRequestMethod())) {
        MutualTlsHttp.error(ex, 405, "use POST");
        return;
      }
      OrgId caller = MutualTlsHttp.caller(ex);
      if (!caller.equals(operator)) {
        MutualTlsHttp.error(ex, 403, org + " takes " + kind + "s from the log's operator " + operator + " only, not from " + caller);
        return;
      }
      try {
        Json.JObject answer = body.answer();
        log.println(clock.instant() + " " + org + " " + kind + " " + step + " for " + caller + ": done");
        MutualTlsHttp.respond(ex, 200, answer);
      } catch (KeyReleaseRefusedException e) {
        log.println(clock.instant() + " " + org + " refused a " + kind + " (" + step + "): " + KeyReleaseRefusedException.wireName(e.reason()));
        MutualTlsHttp.respond(ex, 403, Json.obj("error", e.getMessage(), "reason", KeyReleaseRefusedException.wireName(e.reason())));
      } catch (PartyJobRefusedException | io.covenant.mpc.sql.MpcQueryRefusedException e) {
        log.println(clock.instant() + " " + org + " refused a " + kind + " (" + step + "): " + e.getMessage());
        MutualTlsHttp.respond(ex, 403, Json.obj("error", e.getMessage(), "reason", kind.replace(' ', '-') + "-refused"));
      } catch (MalformedInputException e) {
        MutualTlsHttp.error(ex, 400, e.getMessage());
      } catch (CovenantException e) {
        log.println(clock.instant() + " " + org + " " + kind + " " + step + " failed: " + e.getMessage());
        MutualTlsHttp.error(ex, 500, org + "'s node failed: " + e.getMessage());
      } catch (RuntimeException e) {
        log.println(clock.instant() + " " + org + " " + kind + " " + step + " failed unexpectedly: " + e);
        MutualTlsHttp.error(ex, 500, org + "'s node failed unexpectedly; see its log");
      }
    }
  }

  public OrgId org() {
    return org;
  }

  /** Where the node listens, e.g. {@code https://127.0.0.1:43117/}. */
  public URI uri() {
    return uri;
  }

  @Override
  public void close() {
    MutualTlsHttp.stop(server);
  }
}
