package io.covenant.node.fljob;

import com.sun.net.httpserver.HttpsServer;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.node.OrgNodeServer;
import java.io.PrintStream;
import java.time.Clock;

/**
 * The node's routes for federated jobs: {@code POST /v1/fl-jobs/prepare} and {@code /v1/fl-jobs/run}, from the log's
 * operator only (the coordinator schedules; the node checks the ledger), answered as every engine's node steps are
 * ({@link OrgNodeServer#operatorStep}: refusals 403 with the rule, malformed requests 400, other failures 500 with a
 * message that names no key).
 */
public record FlJobRoutes(FlJobService service) implements OrgNodeServer.Routes {
  @Override
  public void register(HttpsServer server, OrgId self, PrintStream log, Clock clock) {
    server.createContext(FlJobRequest.PREPARE, ex -> OrgNodeServer.operatorStep(ex, self, service.operator(), "federated job", "prepare", log, clock,
        () -> service.prepare(FlJobRequest.Prepare.fromJson(MutualTlsHttp.body(ex)))));
    server.createContext(FlJobRequest.RUN, ex -> OrgNodeServer.operatorStep(ex, self, service.operator(), "federated job", "run", log, clock,
        () -> service.run(FlJobRequest.Run.fromJson(MutualTlsHttp.body(ex)))));
  }
}
