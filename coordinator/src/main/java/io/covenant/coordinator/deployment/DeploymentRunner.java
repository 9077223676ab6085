package io.covenant.coordinator.deployment;

import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.text.TextTable;
import io.covenant.node.keystore.KeystoreSecret;
import java.io.PrintStream;
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
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Enrols and starts the processes a {@link DeploymentFile} describes. Enrolment (once, on the host that holds the
 * consortium's CA) creates the CA, the coordinator's folder with the operator, and each node's and the worker's own
 * folder with its keys and certificate; folders for other hosts are then copied there. Starting runs the coordinator
 * ({@code serve --tls --topology}), the worker and the nodes named (all by default) under a {@link ProcessSupervisor}.
 */
public final class DeploymentRunner {
  public static final Pattern SERVING = Pattern.compile("serving .* at (https://\\S+)/api");
  public static final Pattern NODE_READY = Pattern.compile("node of \\S+ listening at (https://\\S+) ");
  public static final Pattern WORKER_READY = Pattern.compile("simulation key ([0-9a-f]{64})");
  private static final Duration START = Duration.ofSeconds(120);

  private DeploymentRunner() {}

  /** What started: each process by name, and the arguments each node was started with (to start it again). */
  public record Started(Map<String, ProcessSupervisor.Child> children, Map<OrgId, List<String>> nodeArgs, List<String> workerArgs, URI coordinatorApi) {}

  /** Whether the coordinator's folder already holds a deployment (enrolment happened). */
  public static boolean enrolled(DeploymentFile f) {
    return LocalDeployment.exists(f.coordinator().dataDir());
  }

  /** Creates the consortium CA (in {@code <folder>/ca}) and enrols the operator, the worker and every node into its own folder. */
  public static void enrol(DeploymentFile f, PrintStream out) {
    // A CA made beforehand ('./covenant ca init --suite sm --ca FOLDER/ca') fixes the suite; otherwise the international one.
    Path caDir = f.folder().resolve("ca");
    enrol(f, out, ConsortiumCa.exists(caDir) ? ConsortiumCa.open(caDir).authority().suite() : io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /**
   * As {@link #enrol(DeploymentFile, PrintStream)}, a new CA made under {@code suite}; an existing CA of another suite is
   * refused by name (a consortium's suite is fixed when its root is made).
   */
  public static void enrol(DeploymentFile f, PrintStream out, io.covenant.core.crypto.CryptoSuite suite) {
    if (enrolled(f)) throw new CovenantException(f.coordinator().dataDir() + " already holds a deployment; enrolment happens once");
    Path caDir = f.folder().resolve("ca");
    ConsortiumCa ca = ConsortiumCa.exists(caDir) ? ConsortiumCa.open(caDir)
        : ConsortiumCa.init(caDir, f.consortium(), KeystoreSecret.find(ConsortiumCa.ID, caDir, System.getenv()), Instant.now(), suite);
    CertificateAuthority authority = ca.authority();
    if (authority.suite() != suite) {
      throw new CovenantException("the consortium CA in " + caDir + " runs on the " + authority.suite().id() + " crypto suite, not " + suite.id()
          + "; a consortium's suite is fixed when its root is made: use a new folder for a " + suite.id() + " consortium");
    }
    LocalDeployment.pinRoot(f.coordinator().dataDir(), new ConsortiumRoot(authority.root()));
    Clock clock = Clock.systemUTC();
    TextTable t = TextTable.withHeaders("organisation", "role", "folder");
    try (LocalDeployment d = LocalDeployment.installForProcesses(f.coordinator().dataDir(), authority)) {
      t.row(LocalDeployment.OPERATOR, "operator", f.coordinator().dataDir());
      List<io.covenant.ledger.verify.Consortium.Member> witnesses = new ArrayList<>();
      for (DeploymentFile.Node n : f.nodes()) {
        NodeEnrolment.enrol(d, authority, n.org(), n.name(), n.roles(), n.process().dataDir(), clock);
        witnesses.add(NodeEnrolment.witnessOf(n.process().dataDir()));
        t.row(n.org(), String.join(", ", n.roles().stream().map(OrgRole::cliName).toList()) + ", witness", n.process().dataDir());
      }
      // Every node witnesses the log; a checkpoint counts as witnessed with a majority of them (at least one).
      var consortium = d.useRemoteWitnesses(witnesses, witnesses.size() / 2 + 1);
      // Each node pins the same consortium (root, log key, witnesses, quorum) for its own audits.
      for (DeploymentFile.Node n : f.nodes()) consortium.write(n.process().dataDir().resolve("consortium.json"));
      if (f.worker().isPresent()) {
        var w = f.worker().get();
        NodeEnrolment.enrol(d, authority, w.org(), "TEE worker", Set.of(OrgRole.WORKER), w.process().dataDir(), clock);
        t.row(w.org(), "worker", w.process().dataDir());
      }
    }
    out.print(t.render());
  }

  /**
   * Refuses to run an enrolled deployment under a suite other than the one its consortium was made with, before anything
   * starts: a consortium never mixes suites, and a flag that is silently ignored would be worse than an error.
   */
  public static void requireSuite(DeploymentFile f, io.covenant.core.crypto.CryptoSuite suite) {
    requireSuite(f.folder(), f.coordinator().dataDir(), suite);
  }

  /** As {@link #requireSuite(DeploymentFile, io.covenant.core.crypto.CryptoSuite)}, for the deployment in {@code folder} whose coordinator keeps {@code coordinatorDir}. */
  public static void requireSuite(Path folder, Path coordinatorDir, io.covenant.core.crypto.CryptoSuite suite) {
    if (!LocalDeployment.exists(coordinatorDir)) return;
    Path file = coordinatorDir.resolve(LocalDeployment.CONSORTIUM_FILE);
    var pinned = io.covenant.ledger.verify.Consortium.read(file).suite();
    if (pinned != suite) {
      throw new CovenantException("the consortium in " + folder + " runs on the " + pinned.id() + " crypto suite (" + file + "), not " + suite.id()
          + "; run it again with --suite " + pinned.id() + ", or choose another folder for a consortium on the " + suite.id() + " suite");
    }
  }

  /** Starts the processes named in {@code only} (every process of the file if empty), the coordinator first. */
  public static Started start(DeploymentFile f, Set<String> only, ProcessSupervisor supervisor) {
    return start(f, only, supervisor, name -> List.of());
  }

  /**
   * As {@link #start(DeploymentFile, Set, ProcessSupervisor)}, each process launched through {@code launcher} of its
   * name (coordinator, worker or an organisation), such as {@code ip netns exec NS}; see
   * {@link ProcessSupervisor#start(String, List, List, Pattern, Duration)}.
   */
  public static Started start(DeploymentFile f, Set<String> only, ProcessSupervisor supervisor, Function<String, List<String>> launcher) {
    for (String name : only) {
      if (!f.processNames().contains(name)) {
        throw new CovenantException("--only " + name + ": the deployment file names no such process; it has " + String.join(", ", f.processNames()));
      }
    }
    boolean all = only.isEmpty();
    Map<String, ProcessSupervisor.Child> children = new LinkedHashMap<>();
    Map<OrgId, URI> nodeAddresses = new LinkedHashMap<>();
    // Every node: owners answer key requests, and every node witnesses the log.
    for (DeploymentFile.Node n : f.nodes()) nodeAddresses.put(n.org(), slash(n.process().address()));
    URI workerAddress = f.worker().map(w -> slash(w.process().address())).orElse(ProcessTopology.NOT_YET_STARTED.worker());
    URI api = URI.create(slash(f.coordinator().address()) + "api/");
    if (all || only.contains("coordinator")) {
      Path topology = f.coordinator().dataDir().resolve("topology.json");
      new ProcessTopology(workerAddress, nodeAddresses).write(topology);
      String[] hostPort = f.coordinator().listen().split(":");
      List<String> args = new ArrayList<>(List.of("serve", "--data-dir", f.coordinator().dataDir().toString(), "--tls", "--host", hostPort[0], "--port",
          hostPort[1], "--topology", topology.toString()));
      f.coordinatorSpecs().forEach((k, v) -> args.addAll(List.of("--" + k, v)));
      children.put("coordinator", supervisor.start("coordinator", launcher.apply("coordinator"), args, SERVING, START));
    }
    Optional<String> simulationKey = Optional.empty();
    List<String> workerArgs = List.of();
    if (f.worker().isPresent() && (all || only.contains("worker"))) {
      var w = f.worker().get();
      List<String> args = workerArgs = List.of("worker", "serve", "--org", w.org().value(), "--data-dir", w.process().dataDir().toString(), "--coordinator",
          api.toString(), "--listen", w.process().listen());
      var child = supervisor.start("worker", launcher.apply("worker"), args, WORKER_READY, START);
      children.put("worker", child);
      simulationKey = Optional.of(child.announced());
    }
    Map<OrgId, List<String>> nodeArgs = new LinkedHashMap<>();
    for (DeploymentFile.Node n : f.nodes()) {
      if (!all && !only.contains(n.org().value())) continue;
      List<String> args = new ArrayList<>(List.of("node", "--org", n.org().value(), "--data-dir", n.process().dataDir().toString(), "--coordinator",
          api.toString(), "--listen", n.process().listen()));
      if (n.trustSimulatedWorker().isPresent()) {
        String key = n.trustSimulatedWorker().get();
        if ("auto".equals(key)) {
          key = simulationKey.orElseThrow(() -> new CovenantException("node " + n.org() + " trusts the simulated worker 'auto', but the worker is not "
              + "started here; give its simulation key (printed by './covenant worker serve') in trust-simulated-worker"));
        }
        args.addAll(List.of("--trust-simulated-worker", key));
      }
      nodeArgs.put(n.org(), List.copyOf(args));
      children.put(n.org().value(), supervisor.start(n.org().value(), launcher.apply(n.org().value()), args, NODE_READY, START));
    }
    return new Started(children, nodeArgs, workerArgs, api);
  }

  private static URI slash(URI u) {
    String s = u.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }
}
