package io.covenant.coordinator.processes;

import io.covenant.core.error.CovenantException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Linux network namespace per process of a deployment, as if each ran on a host of its own: each namespace has its
 * loopback and one veth interface ({@code eth0}) with an address in a private /24 ({@code 10.231.X.0/24}, X random);
 * the other ends of the veth pairs sit on a bridge in a namespace of its own. Every link is created directly inside
 * its namespace, so the host's own interfaces, addresses and routes are never touched. {@link #close()} (also run by a
 * shutdown hook) deletes the namespaces, which takes their interfaces and the bridge with them.
 *
 * <p>Names carry a random suffix ({@code cov-<hex>-<n>}), so parallel runs and leftovers of a killed run never
 * collide. Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN) and the {@code ip} command of iproute2;
 * {@link #create(List)} throws {@link Unavailable} naming what failed when either is missing, having removed whatever
 * it had created.
 */
final class NetworkNamespaces implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();
  static final String INTERFACE = "eth0";

  /** A namespace for one process: its name and its address on the shared /24. */
  record Host(String namespace, String address) {
    /** The command prefix that runs a program inside this namespace. */
    List<String> launcher() {
      return List.of("ip", "netns", "exec", namespace);
    }
  }

  /** Namespaces cannot be made here (not root, no {@code ip}, no kernel support); the message says which step failed. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  private final String bridgeNamespace;
  private final String subnet;
  private final Map<String, Host> hosts = new LinkedHashMap<>();
  private final List<String> created = new ArrayList<>();
  private final Thread hook = new Thread(this::deleteAll, "covenant-netns-teardown");

  private NetworkNamespaces(String prefix, String subnet) {
    this.bridgeNamespace = prefix + "-br";
    this.subnet = subnet;
  }

  /**
   * Creates a namespace per name in {@code processes}, in order, with host numbers 1, 2, 3... on the subnet (the first
   * process gets {@code .1}), all linked to one bridge.
   */
  static NetworkNamespaces create(List<String> processes) throws Unavailable {
    SecureRandom random = new SecureRandom();
    byte[] suffix = new byte[3];
    random.nextBytes(suffix);
    String prefix = "cov-" + HEX.formatHex(suffix);
    NetworkNamespaces net = new NetworkNamespaces(prefix, "10.231." + (1 + random.nextInt(254)));
    Runtime.getRuntime().addShutdownHook(net.hook);
    try {
      net.addNamespace(net.bridgeNamespace);
      net.ip("-n", net.bridgeNamespace, "link", "add", "br0", "type", "bridge");
      net.ip("-n", net.bridgeNamespace, "link", "set", "br0", "up");
      int n = 0;
      for (String process : processes) {
        n++;
        String ns = prefix + "-" + n;
        String address = net.subnet + "." + n;
        net.addNamespace(ns);
        // Both ends are born in their namespaces (no name in the host's namespace, so nothing there can clash).
        net.ip("link", "add", INTERFACE, "netns", ns, "type", "veth", "peer", "name", "p" + n, "netns", net.bridgeNamespace);
        net.ip("-n", net.bridgeNamespace, "link", "set", "p" + n, "master", "br0", "up");
        net.ip("-n", ns, "addr", "add", address + "/24", "dev", INTERFACE);
        net.ip("-n", ns, "link", "set", INTERFACE, "up");
        net.hosts.put(process, new Host(ns, address));
      }
      return net;
    } catch (Unavailable e) {
      net.close();
      throw e;
    }
  }

  /** The namespace and address of {@code process}. */
  Host host(String process) {
    Host h = hosts.get(process);
    if (h == null) throw new CovenantException("no namespace was made for " + process + "; there are " + hosts.keySet());
    return h;
  }

  Map<String, Host> hosts() {
    return Map.copyOf(hosts);
  }

  /** The subnet, as {@code 10.231.X.0/24}. */
  String subnet() {
    return subnet + ".0/24";
  }

  /** Runs {@code command} inside {@code process}'s namespace and returns its output; throws if it fails. */
  String exec(String process, String... command) {
    List<String> full = new ArrayList<>(host(process).launcher());
    full.addAll(List.of(command));
    try {
      return run(full);
    } catch (Unavailable e) {
      throw new CovenantException(e.getMessage());
    }
  }

  /** Bytes sent and received on {@code process}'s link to the bridge, from the kernel's counters in its namespace. */
  long[] bytesSentAndReceived(String process) {
    String base = "/sys/class/net/" + INTERFACE + "/statistics/";
    return new long[] {Long.parseLong(exec(process, "cat", base + "tx_bytes").strip()), Long.parseLong(exec(process, "cat", base + "rx_bytes").strip())};
  }

  private void addNamespace(String ns) throws Unavailable {
    ip("netns", "add", ns);
    created.add(ns);
    ip("-n", ns, "link", "set", "lo", "up");
  }

  private void ip(String... args) throws Unavailable {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    run(command);
  }

  private static String run(List<String> command) throws Unavailable {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new Unavailable("'" + String.join(" ", command) + "' did not finish within 30 s");
      }
      if (p.exitValue() != 0) throw new Unavailable("'" + String.join(" ", command) + "' failed (status " + p.exitValue() + "): " + out.strip());
      return out;
    } catch (IOException e) {
      throw new Unavailable("cannot run '" + String.join(" ", command) + "': " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while running '" + String.join(" ", command) + "'");
    }
  }

  /** Deletes every namespace made here, the process namespaces before the bridge's; idempotent. */
  private synchronized void deleteAll() {
    for (int i = created.size() - 1; i >= 0; i--) {
      try {
        run(List.of("ip", "netns", "del", created.get(i)));
      } catch (Unavailable e) {
        System.err.println("covenant test: could not delete network namespace " + created.get(i) + ": " + e.getMessage()
            + "; remove it with 'ip netns del " + created.get(i) + "'");
      }
    }
    created.clear();
  }

  @Override
  public void close() {
    deleteAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (or ran) deleteAll itself
    }
  }
}
