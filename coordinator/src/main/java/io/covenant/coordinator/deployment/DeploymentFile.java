package io.covenant.coordinator.deployment;

import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A deployment described in a file for {@code ./covenant up}: which process runs where, with which folder, ledger and
 * blockstore. The same file is used on every host; each host starts the processes that are its own ({@code --only}).
 *
 * <pre>
 * folder: .                      # relative folders below are resolved against this (default: the file's folder)
 * consortium: Example consortium # the CA's name, when 'up --enrol' creates it
 * coordinator:
 *   listen: 127.0.0.1:8443       # where it binds
 *   address: https://coordinator.example:8443   # how others reach it (default: https://LISTEN)
 *   data-dir: coordinator
 *   ledger: embedded             # or anchored=URL,contract=0x..,key-file=FILE
 *   blockstore: local            # or ipfs=URL
 *   db: embedded                 # or postgresql://HOST:PORT/DB?user=..&amp;password-file=..
 * worker:
 *   org: tee-worker
 *   listen: 127.0.0.1:8450
 *   data-dir: worker
 * nodes:
 *   - org: hospital-a
 *     name: St. Anne's Hospital
 *     role: owner
 *     listen: 127.0.0.1:8461
 *     data-dir: nodes/hospital-a
 *     trust-simulated-worker: auto   # or the worker's simulation key in hex; omit to accept hardware evidence only
 * </pre>
 */
public record DeploymentFile(Path folder, String consortium, Process coordinator, Optional<Worker> worker, List<Node> nodes, Map<String, String> coordinatorSpecs) {

  /** A process's bind address, the address others use, and its folder. */
  public record Process(String listen, URI address, Path dataDir) {}

  public record Worker(OrgId org, Process process) {}

  /** An organisation's node; {@code roles} from {@code role: owner} or several, {@code role: owner, consumer}. */
  public record Node(OrgId org, String name, java.util.Set<OrgRole> roles, Process process, Optional<String> trustSimulatedWorker) {
    public Node {
      if (roles == null || roles.isEmpty()) throw new MalformedInputException("node " + org + " names no role");
      roles = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(roles));
    }
  }

  public static DeploymentFile read(Path file) {
    Object root;
    try {
      String text = Files.readString(file);
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (IOException e) {
      throw new CovenantException("cannot read the deployment file " + file + ": " + e.getMessage() + "; check the path");
    } catch (RuntimeException e) {
      throw new MalformedInputException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    Map<String, Object> top = map(root, "the file");
    known(top, "the file", "folder", "consortium", "coordinator", "worker", "nodes");
    Path base = file.toAbsolutePath().getParent();
    Path folder = base.resolve(string(top, "folder", ".", "the file")).normalize();
    Map<String, Object> c = map(top.get("coordinator"), "coordinator");
    known(c, "coordinator", "listen", "address", "data-dir", "ledger", "blockstore", "db");
    Process coordinator = process(c, "coordinator", folder);
    Map<String, String> specs = Map.of("ledger", string(c, "ledger", "embedded", "coordinator"), "blockstore", string(c, "blockstore", "local", "coordinator"),
        "db", string(c, "db", "embedded", "coordinator"));
    Optional<Worker> worker = Optional.empty();
    if (top.get("worker") != null) {
      Map<String, Object> w = map(top.get("worker"), "worker");
      known(w, "worker", "org", "listen", "address", "data-dir");
      worker = Optional.of(new Worker(OrgId.of(string(w, "org", "tee-worker", "worker")), process(w, "worker", folder)));
    }
    List<Node> nodes = new ArrayList<>();
    Object ns = top.get("nodes");
    if (!(ns instanceof List<?> list) || list.isEmpty()) throw new MalformedInputException(file + ": 'nodes' must list at least one organisation's node");
    Set<String> seen = new HashSet<>();
    for (Object o : list) {
      Map<String, Object> n = map(o, "a node");
      String org = string(n, "org", null, "a node");
      String where = "node " + org;
      known(n, where, "org", "name", "role", "listen", "address", "data-dir", "trust-simulated-worker");
      if (!seen.add(org)) throw new MalformedInputException(file + ": node " + org + " is listed twice");
      java.util.Set<OrgRole> roles = java.util.EnumSet.noneOf(OrgRole.class);
      for (String role : string(n, "role", null, where).split(",")) roles.add(OrgRole.parse(role));
      nodes.add(new Node(OrgId.of(org), string(n, "name", org, where), roles, process(n, where, folder),
          Optional.ofNullable((String) n.get("trust-simulated-worker"))));
    }
    return new DeploymentFile(folder, string(top, "consortium", "Covenant consortium", "the file"), coordinator, worker, List.copyOf(nodes), specs);
  }

  /** The names {@code --only} accepts: coordinator, worker, and each node's organisation. */
  public List<String> processNames() {
    List<String> out = new ArrayList<>(List.of("coordinator"));
    worker.ifPresent(w -> out.add("worker"));
    nodes.forEach(n -> out.add(n.org().value()));
    return out;
  }

  private static Process process(Map<String, Object> m, String where, Path folder) {
    String listen = string(m, "listen", null, where);
    if (!listen.matches("[^:]+:\\d{1,5}")) throw new MalformedInputException(where + ": listen '" + listen + "' is not HOST:PORT");
    URI address;
    try {
      address = URI.create(string(m, "address", "https://" + listen, where));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(where + ": address is not a URI");
    }
    if (!"https".equals(address.getScheme())) throw new MalformedInputException(where + ": address " + address + " must be https (mutual TLS)");
    return new Process(listen, address, folder.resolve(string(m, "data-dir", null, where)).normalize());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where) {
    if (!(o instanceof Map<?, ?> m)) throw new MalformedInputException(where + " must be a mapping of names to values");
    return (Map<String, Object>) m;
  }

  private static void known(Map<String, Object> m, String where, String... names) {
    Set<String> allowed = Set.of(names);
    for (String k : m.keySet()) {
      if (!allowed.contains(k)) throw new MalformedInputException(where + ": '" + k + "' is not a setting here; use " + String.join(", ", names));
    }
  }

  private static String string(Map<String, Object> m, String name, String fallback, String where) {
    Object v = m.get(name);
    if (v == null) {
      if (fallback == null) throw new MalformedInputException(where + ": '" + name + "' is required");
      return fallback;
    }
    return String.valueOf(v);
  }
}
