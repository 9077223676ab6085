package io.covenant.coordinator.cli;

import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTlsHttp;
import io.covenant.node.NodeConfig;
import io.covenant.node.OrgNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one organisation's node: the only process that opens its keystore. It answers enclaves' key requests over",
      "mutual TLS, deciding each itself from its own verified copy of the consortium's log and its own policy records, and",
      "carries out the organisation's own actions (publish a dataset or policy, decide on a job) that arrive on its desk,",
      "a Unix socket in its folder. The coordinator is reached for the log and the block store only; it is trusted for",
      "liveness, never for a decision. Enrol the organisation into its node folder first ('./covenant up' and the demo do)."
    })
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--org", required = true, paramLabel = "ORG", description = "The organisation whose node this is.")
  String org;

  @Option(names = "--data-dir", required = true, paramLabel = "DIR",
      description = "The node's own folder: its keystore under orgs/ORG/, its certificate, consortium.json, its policy records.")
  Path dataDir;

  @Option(names = "--coordinator", required = true, paramLabel = "URL", description = "The coordinator's API, e.g. https://127.0.0.1:8443/api.")
  URI coordinator;

  @Option(names = "--listen", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
      description = "Where to answer key requests (default: ${DEFAULT-VALUE}; port 0 takes a free port and prints it).")
  String listen;

  @Option(names = "--trust-simulated-worker", paramLabel = "KEY",
      description = "The public key (hex) of a TEE worker's simulation provider to accept evidence from. Simulated enclaves give no "
          + "hardware protection; a policy must also set tee.allowSimulated. Without it, only hardware evidence is accepted.")
  String simulationKey;

  @Override
  public Integer call() throws InterruptedException {
    OrgId id = new OrgId(org);
    NodeConfig config = new NodeConfig(id, dataDir, coordinator, address(listen), LocalDeployment.OPERATOR,
        Optional.ofNullable(simulationKey).map(VerifyingKey::parse));
    Clock clock = Clock.systemUTC();
    OrgNode node = OrgNode.start(config, Optional.empty(), System.out, clock);
    NodeDesk desk;
    try {
      var http = "https".equals(coordinator.getScheme()) ? MutualTlsHttp.client(node.tls(), Duration.ofSeconds(10))
          : java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      desk = NodeDesk.open(node, CoordinatorClient.of(coordinator, http), clock);
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    System.out.println("covenant: node of " + id + " listening at " + node.uri() + " (mutual TLS); desk at " + desk.socket());
    System.out.println("covenant: log verified up to " + node.ledger().size() + " entries from " + coordinator);
    if (node.tls().suite().isNational()) System.out.println("covenant: transport: " + io.covenant.core.identity.MutualTls.transportOf(node.tls().suite()));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      desk.close();
      node.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }

  static InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 1) throw new CovenantException("--listen '" + hostPort + "' is not HOST:PORT, e.g. 127.0.0.1:0");
    try {
      return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (NumberFormatException e) {
      throw new CovenantException("--listen '" + hostPort + "': the port is not a number");
    }
  }
}
