package io.covenant.coordinator.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.coordinator.deployment.DeploymentFile;
import io.covenant.coordinator.deployment.DeploymentRunner;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.coordinator.deployment.ProcessSupervisor;
import io.covenant.core.codec.Json;
import io.covenant.core.id.OrgId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's topology started from a {@code deployment.yaml} as {@code ./covenant up} starts it, with every process
 * (coordinator, TEE worker, three hospital nodes, the insurer's node) in a network namespace of its own, as if on six
 * hosts: each listens on its namespace's address only, and reaches the others through a veth link and a bridge. The
 * hospitals publish and put their policies in force at their nodes' desks (Unix sockets in their folders, which the
 * namespaces share), the insurer submits the statistics query, opens the result and audits the log; the job commits,
 * each hospital's node released its key to the worker across the namespaces, and the kernel's counters and sockets
 * show the traffic went over the links.
 *
 * <p>Where namespaces cannot be made (not root, no {@code ip}, or {@code -Dcovenant.netns=off}), it says so and runs
 * the same file on loopback; the checks of the links are then skipped with that reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyRunsAcrossNetworkNamespaces {
  private static final List<String> PROCESSES = processes();

  private NetworkNamespaces net;
  private String whyLoopback;
  private Path dir;
  private DeploymentFile deployment;
  private ProcessSupervisor supervisor;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();

  private static List<String> processes() {
    List<String> out = new ArrayList<>(List.of("coordinator", "worker"));
    HospitalInsurerDemo.HOSPITALS.forEach(h -> out.add(h.org().value()));
    out.add(HospitalInsurerDemo.INSURER.value());
    return List.copyOf(out);
  }

  @BeforeAll
  void startTheDeployment(@TempDir Path tmp) throws IOException {
    dir = tmp;
    if ("off".equals(System.getProperty("covenant.netns"))) {
      whyLoopback = "-Dcovenant.netns=off";
    } else {
      try {
        net = NetworkNamespaces.create(PROCESSES);
      } catch (NetworkNamespaces.Unavailable e) {
        whyLoopback = e.getMessage();
      }
    }
    if (net == null) {
      System.out.println("TopologyRunsAcrossNetworkNamespaces: network namespaces unavailable (" + whyLoopback + "); running the same topology on loopback");
    } else {
      System.out.println("TopologyRunsAcrossNetworkNamespaces: one network namespace per process on " + net.subnet() + ": " + net.hosts());
    }
    Path file = dir.resolve("deployment.yaml");
    Files.writeString(file, deploymentYaml());
    deployment = DeploymentFile.read(file);
    DeploymentRunner.enrol(deployment, new PrintStream(output, true, StandardCharsets.UTF_8));
    deployment.nodes().forEach(n -> nodeDirs.put(n.org(), n.process().dataDir()));
    supervisor = new ProcessSupervisor(dir.resolve("logs"), new PrintStream(output, true, StandardCharsets.UTF_8));
    Function<String, List<String>> launcher = net == null ? name -> List.of() : name -> net.host(name).launcher();
    DeploymentRunner.start(deployment, Set.of(), supervisor, launcher);
  }

  @AfterAll
  void stopAndTearDown() {
    try {
      if (supervisor != null) supervisor.close();
    } finally {
      if (net != null) net.close();
    }
  }

  /**
   * The file an operator would write for six hosts: in namespaces, each process on its own address with the same ports
   * (as on separate machines); on loopback, all on 127.0.0.1 with free ports.
   */
  private String deploymentYaml() {
    StringBuilder y = new StringBuilder("consortium: Namespace test consortium\n");
    y.append("coordinator:\n").append(where("coordinator", 8443)).append("  data-dir: coordinator\n");
    y.append("worker:\n  org: ").append(ProcessDemo.WORKER.value()).append('\n').append(where("worker", 8450)).append("  data-dir: worker\n");
    y.append("nodes:\n");
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      y.append("  - org: ").append(h.org().value()).append("\n    name: \"").append(h.name()).append("\"\n    role: owner\n")
          .append(where(h.org().value(), 8461).indent(2)).append("    data-dir: nodes/").append(h.org().value()).append('\n')
          .append("    trust-simulated-worker: auto\n");
    }
    String insurer = HospitalInsurerDemo.INSURER.value();
    y.append("  - org: ").append(insurer).append("\n    name: Insurer X\n    role: consumer\n").append(where(insurer, 8461).indent(2))
        .append("    data-dir: nodes/").append(insurer).append('\n');
    return y.toString();
  }

  private String where(String process, int port) {
    String hostPort = net == null ? "127.0.0.1:" + io.covenant.coordinator.demo.ProcessDemo.freePort() : net.host(process).address() + ":" + port;
    return "  listen: " + hostPort + "\n  address: https://" + hostPort + "\n";
  }

  @Test
  @Order(1)
  void theScenarioCommitsAndEachHospitalReleasedItsKeyToTheWorker() {
    List<String> versions = new ArrayList<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      Path node = nodeDirs.get(h.org());
      Json.JObject d = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-synthetic-claims", "name", "claims", "seed", h.seed(), "rows", h.rows(),
          "costLevel", String.valueOf(h.costLevel())));
      NodeDesk.ask(node, Json.obj("op", "publish-policy", "policy", HospitalInsurerDemo.policyFor(h.org())));
      versions.add(d.string("dataset"));
    }
    Path insurer = nodeDirs.get(HospitalInsurerDemo.INSURER);
    Json.JObject job = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "tee", "purpose", "risk-model",
        "sql", HospitalInsurerDemo.STATISTICS_SQL));
    assertEquals("COMMITTED", job.string("state"), job.encode());
    Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", job.string("job")));
    assertTrue(result.number("rows") > 10, result.encode());
    // The same query on the multi-party engine: the hospitals' nodes link up with each other across the namespaces.
    Json.JObject mpc = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "mpc", "purpose", "risk-model",
        "sql", HospitalInsurerDemo.STATISTICS_SQL));
    assertEquals("COMMITTED", mpc.string("state"), mpc.encode());
    Json.JObject mpcResult = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", mpc.string("job")));
    assertTrue(mpcResult.number("rows") > 10, mpcResult.encode());
    Json.JObject audit = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "audit"));
    assertTrue(audit.bool("ok"), audit.encode());
    supervisor.requireAlive();
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      String log = read(dir.resolve("logs").resolve(h.org().value() + ".log"));
      String released = "released the key of " + h.org().value() + "/claims@1 in " + job.string("job") + " (asked by " + ProcessDemo.WORKER.value() + ")";
      assertTrue(log.contains(released), h.org() + "'s node log:\n" + log);
    }
  }

  @Test
  @Order(2)
  void eachProcessListensOnlyOnItsOwnNamespacesAddress() {
    assumeTrue(net != null, () -> "network namespaces unavailable (" + whyLoopback + "); the topology ran on loopback");
    for (String process : PROCESSES) {
      String listening = net.exec(process, "ss", "-tlnH");
      String own = net.host(process).address();
      Set<String> addresses = new TreeSet<>();
      listening.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 4).forEach(f -> addresses.add(host(f[3])));
      addresses.remove("127.0.0.1"); // a process may bind loopback for itself; nobody else can reach that
      assertEquals(Set.of(own), addresses, process + " listens only on " + own + " in its namespace:\n" + listening);
    }
  }

  @Test
  @Order(3)
  void theTrafficCrossedTheLinksBetweenTheNamespaces() {
    assumeTrue(net != null, () -> "network namespaces unavailable (" + whyLoopback + "); the topology ran on loopback");
    // Every process talked over its veth link: the kernel counts the bytes (a link that is only up sends under 2 KB).
    for (String process : PROCESSES) {
      long[] sentReceived = net.bytesSentAndReceived(process);
      assertTrue(sentReceived[0] > 4096 && sentReceived[1] > 4096,
          process + "'s link to the bridge carried " + sentReceived[0] + " bytes out and " + sentReceived[1] + " in");
    }
    // And the coordinator's peers were the other namespaces: its TCP sockets name their addresses.
    String sockets = net.exec("coordinator", "ss", "-tnH");
    Set<String> peers = new TreeSet<>();
    sockets.lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 5).forEach(f -> peers.add(host(f[4])));
    peers.remove(net.host("coordinator").address());
    Set<String> others = new TreeSet<>();
    PROCESSES.stream().filter(p -> !p.equals("coordinator")).forEach(p -> others.add(net.host(p).address()));
    // Idle connections may have closed by now (keep-alive ends), so not every peer need still be connected; those that
    // are open must come from the other namespaces.
    assertTrue(peers.size() >= 2 && others.containsAll(peers), "the coordinator's TCP peers " + peers + " are among the other namespaces " + others
        + ":\n" + sockets);
  }

  /** The address of an {@code ss} column ({@code 10.0.0.1:8443}, {@code [::ffff:10.0.0.1]:8443}), without port and IPv4-mapped prefix. */
  private static String host(String column) {
    return column.replaceAll(":[0-9*]+$", "").replaceAll("^\\[(::ffff:)?(.*)]$", "$2");
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "(cannot read " + f + ")";
    }
  }
}
