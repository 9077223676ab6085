package io.covenant.node.hejob;

import com.sun.net.httpserver.HttpsServer;
import io.covenant.core.id.OrgId;
import com.sun.net.httpserver.HttpExchange;
import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import java.io.IOException;
import java.io.InputStream;
import io.covenant.node.OrgNodeServer;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The he engine's routes at an organisation's node, from the log's operator only (the coordinator schedules; the node
 * checks the ledger): {@code POST /v1/he-jobs/consumer-keys}, {@code /v1/he-jobs/score}, {@code /v1/he-jobs/aggregate}.
 */
public record HeJobRoutes(HeJobService service) implements OrgNodeServer.Routes {
  @Override
  public void register(HttpsServer server, OrgId self, PrintStream log, Clock clock) {
    server.createContext(HeJobRequest.CONSUMER_KEYS, ex -> OrgNodeServer.operatorStep(ex, self, service.operator(), "he job", "consumer keys", log, clock,
        () -> service.consumerKeys(HeJobRequest.fromJson(body(ex)))));
    server.createContext(HeJobRequest.OWNER_SCORE, ex -> OrgNodeServer.operatorStep(ex, self, service.operator(), "he job", "score", log, clock,
        () -> service.ownerScore(HeJobRequest.fromJson(body(ex)))));
    server.createContext(HeJobRequest.OWNER_AGGREGATE, ex -> OrgNodeServer.operatorStep(ex, self, service.operator(), "he job", "aggregate", log, clock,
        () -> service.ownerAggregate(HeJobRequest.fromJson(body(ex)))));
  }

  /** An encrypted model with its relinearisation keys runs to tens of MiB at N = 8192; more than that is not a Covenant coordinator. */
  static final int MAX_BODY_BYTES = 128 << 20;

  private static Json.JObject body(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
      if (b.length > MAX_BODY_BYTES) throw new MalformedInputException("the he job step exceeds " + MAX_BODY_BYTES + " bytes");
      return Json.parseObject(b);
    }
  }
}
