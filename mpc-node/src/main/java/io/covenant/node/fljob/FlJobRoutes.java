package io.covenant.node.fljob;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.node.OrgNodeServer;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The node's routes for federated jobs: {@code POST /v1/fl-jobs/prepare} and {@code /v1/fl-jobs/run}, from the log's
 * operator only (the coordinator schedules; the node checks the ledger). Refusals answer 403 with the rule
 * ({@code {"error", "reason"}}), malformed requests 400, other failures 500 with a message that names no key.
 */
public final class FlJobRoutes {
  private FlJobRoutes() {}

  /** Adds both routes to {@code server}. */
  public static void register(OrgNodeServer server, FlJobService service, PrintStream log, Clock clock) {
    server.route(FlJobRequest.PREPARE, step(server.org(), service, "prepare", log, clock, ex -> service.prepare(FlJobRequest.Prepare.fromJson(MutualTlsHttp.body(ex)))));
    server.route(FlJobRequest.RUN, step(server.org(), service, "run", log, clock, ex -> service.run(FlJobRequest.Run.fromJson(MutualTlsHttp.body(ex)))));
  }

  private interface Step {
    Json.JObject answer(HttpExchange ex) throws IOException;
  }

  private static HttpHandler step(OrgId org, FlJobService service, String step, PrintStream log, Clock clock, Step body) {
    return ex -> {
      try (ex) {
        if (!"POST".equals(ex.getRequestMethod())) {
          MutualTlsHttp.error(ex, 405, "use POST");
          return;
        }
        OrgId caller = MutualTlsHttp.caller(ex);
        if (!caller.equals(service.operator())) {
          MutualTlsHttp.error(ex, 403, org + " takes federated jobs from the log's operator " + service.operator() + " only, not from " + caller);
          return;
        }
        try {
          Json.JObject answer = body.answer(ex);
          log.println(clock.instant() + " " + org + " federated job " + step + ": done");
          MutualTlsHttp.respond(ex, 200, answer);
        } catch (KeyReleaseRefusedException e) {
          log.println(clock.instant() + " " + org + " refused a federated job (" + step + "): " + KeyReleaseRefusedException.wireName(e.reason()));
          MutualTlsHttp.respond(ex, 403, Json.obj("error", e.getMessage(), "reason", KeyReleaseRefusedException.wireName(e.reason())));
        } catch (FlJobRefusedException e) {
          log.println(clock.instant() + " " + org + " refused a federated job (" + step + "): " + e.getMessage());
          MutualTlsHttp.respond(ex, 403, Json.obj("error", e.getMessage(), "reason", "fl-job-refused"));
        } catch (MalformedInputException e) {
          MutualTlsHttp.error(ex, 400, e.getMessage());
        } catch (CovenantException e) {
          log.println(clock.instant() + " " + org + " federated job " + step + " failed: " + e.getMessage());
          MutualTlsHttp.error(ex, 500, org + "'s node failed: " + e.getMessage());
        } catch (RuntimeException e) {
          log.println(clock.instant() + " " + org + " federated job " + step + " failed unexpectedly: " + e);
          MutualTlsHttp.error(ex, 500, org + "'s node failed unexpectedly; see its log");
        }
      }
    };
  }
}
