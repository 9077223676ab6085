package io.covenant.coordinator.demo;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.coordinator.deployment.NodeEnrolment;
import io.covenant.coordinator.deployment.ProcessSupervisor;
import io.covenant.coordinator.deployment.ProcessTopology;
import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.node.keystore.KeystoreSecret;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The hospital → insurer scenario with every organisation in a process of its own, on loopback: the coordinator
 * ({@code serve --tls --topology}), the TEE worker ({@code worker serve}), three hospital nodes and the insurer's node
 * ({@code node}), all speaking mutual TLS with consortium certificates. The coordinator's process holds the operator's
 * signing key and nothing else secret: the hospitals publish from their own nodes, the worker asks each hospital's node
 * for its key, and the insurer submits and opens the result at its own node.
 *
 * <p>Layout of the folder: {@code ca/} (the consortium CA), {@code coordinator/} (its data directory),
 * {@code nodes/<org>/} (each node's own folder), {@code worker/}, {@code topology.json}, {@code logs/<process>.log}.
 * The supervisor (this class) enrols everyone before the processes start, as a consortium's installer would on each
 * host, and then acts only through the nodes' desks.
 */
public final class ProcessDemo {
  public static final OrgId WORKER = OrgId.of("tee-worker");
  private static final Duration START = Duration.ofSeconds(90);
  private static final Pattern SERVING = Pattern.compile("serving .* at (https://\\S+)/api");
  private static final Pattern NODE_READY = Pattern.compile("node of \\S+ listening at (https://\\S+) ");
  private static final Pattern WORKER_READY = Pattern.compile("simulation key ([0-9a-f]{64})");

  private final PrintStream out;

  public ProcessDemo(PrintStream out) {
    this.out = out;
  }

  /** What a run produced, for tests: the running processes stay up until the caller closes the supervisor. */
  public record Running(ProcessSupervisor supervisor, Path dir, URI coordinatorApi, Map<OrgId, Path> nodeDirs, Map<OrgId, List<String>> nodeArgs,
      List<String> versions, String statisticsJob, Json result, Json audit, Json denied) implements AutoCloseable {
    /** The running child of {@code name} (coordinator, tee-worker or an organisation). */
    public ProcessSupervisor.Child child(String name) {
      return supervisor.children().stream().filter(c -> c.name().equals(name)).findFirst()
          .orElseThrow(() -> new CovenantException("no process named " + name + " is running"));
    }

    /** Stops {@code org}'s node, as a crash or an administrator would. */
    public void stopNode(OrgId org) {
      supervisor.stop(child(org.value()));
    }

    /** Starts {@code org}'s node again on the same address, as after a restart. */
    public void startNode(OrgId org) {
      supervisor.start(org.value(), nodeArgs.get(org), NODE_READY, START);
    }

    @Override
    public void close() {
      supervisor.close();
    }
  }

  /** Runs the scenario in {@code dir} (new or from an earlier run) and leaves the processes running for the caller to stop. */
  public Running run(Path dir) {
    long started = System.nanoTime();
    out.println("Covenant demo, one process per organisation: hospital -> insurer claim statistics over mutual TLS");
    out.println("folder: " + dir.toAbsolutePath());
    Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) nodeDirs.put(h.org(), dir.resolve("nodes").resolve(h.org().value()));
    nodeDirs.put(HospitalInsurerDemo.INSURER, dir.resolve("nodes").resolve(HospitalInsurerDemo.INSURER.value()));
    Path coordinatorDir = dir.resolve("coordinator");
    Path workerDir = dir.resolve("worker");

    out.println("[1/7] Enrolling the operator, three hospitals, the insurer and the TEE worker, each into its own folder");
    if (!LocalDeployment.exists(coordinatorDir)) install(dir, coordinatorDir, workerDir, nodeDirs);
    else out.println("  ... already enrolled by an earlier run");

    out.println("[2/7] Starting the processes (free ports on loopback; logs in " + dir.resolve("logs") + ")");
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("logs"), out);
    try {
      int workerPort = freePort();
      Map<OrgId, Integer> nodePorts = new LinkedHashMap<>();
      Map<OrgId, URI> nodeUris = new LinkedHashMap<>();
      for (OrgId o : nodeDirs.keySet()) {
        int p = freePort();
        nodePorts.put(o, p);
        nodeUris.put(o, URI.create("https://127.0.0.1:" + p + "/"));
      }
      Path topology = dir.resolve("topology.json");
      new ProcessTopology(URI.create("https://127.0.0.1:" + workerPort + "/"), nodeUris).write(topology);
      var coordinator = supervisor.start("coordinator",
          List.of("serve", "--data-dir", coordinatorDir.toString(), "--tls", "--port", String.valueOf(freePort()), "--topology", topology.toString()),
          SERVING, START);
      URI api = URI.create(coordinator.announced() + "/api/");
      var worker = supervisor.start("tee-worker", List.of("worker", "serve", "--data-dir", workerDir.toString(), "--coordinator", api.toString(),
          "--listen", "127.0.0.1:" + workerPort), WORKER_READY, START);
      List<ProcessSupervisor.Child> nodes = new ArrayList<>();
      Map<OrgId, List<String>> nodeArgs = new LinkedHashMap<>();
      for (var e : nodeDirs.entrySet()) {
        List<String> args = List.of("node", "--org", e.getKey().value(), "--data-dir", e.getValue().toString(),
            "--coordinator", api.toString(), "--listen", "127.0.0.1:" + nodePorts.get(e.getKey()), "--trust-simulated-worker", worker.announced());
        nodeArgs.put(e.getKey(), args);
        nodes.add(supervisor.start(e.getKey().value(), args, NODE_READY, START));
      }
      TextTable processes = TextTable.withHeaders("process", "pid", "address", "holds");
      processes.row("coordinator", coordinator.process().pid(), coordinator.announced(), "the operator's signing key only");
      processes.row("tee-worker", worker.process().pid(), "https://127.0.0.1:" + workerPort, "its identity and simulation key (SIMULATED)");
      for (var n : nodes) processes.row(n.name(), n.process().pid(), n.announced(), "its own keystore: signing, encryption and data keys");
      out.print(indent(processes.render()));

      out.println("[3/7] Each hospital encrypts and publishes its claims and its policy from its own node");
      List<String> versions = new ArrayList<>();
      TextTable published = TextTable.withHeaders("dataset", "rows", "shards", "policy hash");
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        Path node = nodeDirs.get(h.org());
        Json.JObject d = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-synthetic-claims", "name", "claims", "seed", h.seed(), "rows", h.rows(),
            "costLevel", String.valueOf(h.costLevel())));
        Json.JObject p = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-policy", "policy", HospitalInsurerDemo.policyFor(h.org())));
        versions.add(d.string("dataset"));
        published.row(d.string("dataset"), d.number("rows"), d.number("shards"), p.string("hash").substring(0, 16) + "…");
      }
      out.print(indent(published.render()));

      out.println("[4/7] insurer-x submits the statistics query from its node; the worker asks each hospital's node for its key");
      Path insurer = nodeDirs.get(HospitalInsurerDemo.INSURER);
      Json.JObject job = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "tee", "purpose", "risk-model",
          "sql", HospitalInsurerDemo.STATISTICS_SQL));
      if (!"COMMITTED".equals(job.string("state"))) {
        throw new CovenantException("the statistics job ended " + job.string("state") + ": " + job.members().get("reasons").encode());
      }
      Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", job.string("job")));
      out.println("  ... job " + job.string("job") + " committed; " + Plural.of(result.number("rows"), "group") + " opened at insurer-x's node");
      out.print(indent(result.string("table")));

      out.println("[5/7] Audit trail of " + job.string("job") + ", from insurer-x's own verified copy of the log");
      Json.JObject trail = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "trail", "job", job.string("job")));
      out.println("  ... " + Plural.of(trail.number("entries"), "entry", "entries") + ", each signed by the organisation that acted: the hospitals "
          + "themselves signed KEY_RELEASED, from their own nodes");
      out.print(indent(trail.string("table")));

      out.println("[6/7] insurer-x verifies the log as an auditor does (signatures, hash chain, Merkle root, job lifecycles)");
      Json.JObject audit = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "audit"));
      if (!audit.bool("ok")) throw new CovenantException("the log does not verify: " + audit.string("failure", "?"));
      out.println("  ... " + Plural.of(audit.number("entries"), "entry", "entries") + ", " + Plural.of(audit.number("jobs"), "job"));
      out.println("  verified");
      out.println("  tamper test on an exported copy: " + audit.string("tamper", "no result to tamper with"));

      out.println("[7/7] insurer-x tries to single out patients");
      Json.JObject denied = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "tee", "purpose", "risk-model",
          "sql", HospitalInsurerDemo.SINGLING_OUT_SQL));
      if (!"DENIED".equals(denied.string("state"))) throw new CovenantException("the singling-out query was not denied: " + denied.string("state"));
      out.println("  ... DENIED (JOB_DENIED on the ledger); the job never reached the worker");
      supervisor.requireAlive();
      for (String reason : ((Json.JObject) denied).array("reasons").stream().map(j -> ((Json.JString) j).value()).toList()) out.println("  - " + reason);
      out.printf("Demo complete in %.1f s, every organisation in its own process. Inspect it: ./covenant verify --data-dir %s%n",
          (System.nanoTime() - started) / 1e9, coordinatorDir);
      return new Running(supervisor, dir, api, nodeDirs, nodeArgs, versions, job.string("job"), result, audit, denied);
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  private void install(Path dir, Path coordinatorDir, Path workerDir, Map<OrgId, Path> nodeDirs) {
    Path caDir = dir.resolve("ca");
    ConsortiumCa ca = ConsortiumCa.exists(caDir) ? ConsortiumCa.open(caDir)
        : ConsortiumCa.init(caDir, "Covenant demo consortium", KeystoreSecret.find(ConsortiumCa.ID, caDir, System.getenv()), Instant.now());
    CertificateAuthority authority = ca.authority();
    LocalDeployment.pinRoot(coordinatorDir, new ConsortiumRoot(authority.root()));
    try (LocalDeployment d = LocalDeployment.installForProcesses(coordinatorDir, authority)) {
      Clock clock = Clock.systemUTC();
      for (var h : HospitalInsurerDemo.HOSPITALS) NodeEnrolment.enrol(d, authority, h.org(), h.name(), Set.of(OrgRole.OWNER), nodeDirs.get(h.org()), clock);
      NodeEnrolment.enrol(d, authority, HospitalInsurerDemo.INSURER, "Insurer X", Set.of(OrgRole.CONSUMER), nodeDirs.get(HospitalInsurerDemo.INSURER), clock);
      NodeEnrolment.enrol(d, authority, WORKER, "TEE worker", Set.of(OrgRole.WORKER), workerDir, clock);
      out.println("  ... " + (nodeDirs.size() + 2) + " identities certified by '" + authority.root().subjectName() + "'; keystores in nodes/, worker/ and coordinator/");
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new CovenantException("cannot find a free port on loopback: " + e.getMessage(), e);
    }
  }

  private static String indent(String block) {
    StringBuilder sb = new StringBuilder();
    block.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
    return sb.append('\n').toString();
  }
}
