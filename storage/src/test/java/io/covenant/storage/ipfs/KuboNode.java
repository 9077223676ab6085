package io.covenant.storage.ipfs;

import io.covenant.core.testing.PeerInstall;
import io.covenant.storage.blockstore.IpfsBlockstore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One Kubo daemon ({@code ipfs}, built by {@code .ci/peers.sh kubo}) on a fresh repository in a temporary folder:
 * {@code init --profile test} (no bootstrap peers, no mDNS), then API, gateway and swarm bound to 127.0.0.1 on ports
 * the OS picks, read back from the daemon's own output. {@link #close()} kills it (and any child) and deletes its
 * repository.
 */
final class KuboNode implements AutoCloseable {
  private static final Pattern API_LINE = Pattern.compile("RPC API server listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)");
  private static final Pattern SWARM_LINE = Pattern.compile("Swarm listening on 127\\.0\\.0\\.1:(\\d+) \\(TCP\\)");
  private static final Pattern PEER_ID_LINE = Pattern.compile("^PeerID: (\\S+)");

  private final Process daemon;
  private final Path repo;
  private final URI api;
  private final String swarm;
  private final ArrayDeque<String> log;

  private KuboNode(Process daemon, Path repo, URI api, String swarm, ArrayDeque<String> log) {
    this.daemon = daemon;
    this.repo = repo;
    this.api = api;
    this.swarm = swarm;
    this.log = log;
  }

  /** The RPC API's base URL, e.g. {@code http://127.0.0.1:41234}. */
  URI api() {
    return api;
  }

  /** The swarm address other nodes dial, with this node's peer id: {@code /ip4/127.0.0.1/tcp/N/p2p/12D3...}. */
  String swarmAddress() {
    return swarm;
  }

  Path repo() {
    return repo;
  }

  boolean isAlive() {
    return daemon.isAlive();
  }

  /** A client with a short timeout, so a missing block fails fast. */
  IpfsBlockstore store() {
    return IpfsBlockstore.at(api).withTimeout(Duration.ofSeconds(3));
  }

  /** Runs {@code ipfs} with {@code args} on this node's repository (e.g. a config change before the daemon starts). */
  static void run(Path ipfs, Path repo, List<String> args) {
    List<String> command = new ArrayList<>(List.of(ipfs.toString()));
    command.addAll(args);
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("IPFS_PATH", repo.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("'ipfs " + String.join(" ", args) + "' did not finish within 60 s:\n" + out);
      }
      if (p.exitValue() != 0) throw new AssertionError("'ipfs " + String.join(" ", args) + "' failed (exit " + p.exitValue() + "):\n" + out);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + ipfs + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running 'ipfs " + String.join(" ", args) + "'", e);
    }
  }

  /** Installs Kubo if needed and starts one daemon on a fresh repository. */
  static KuboNode start() {
    Path ipfs = PeerInstall.install("kubo");
    Path repo;
    try {
      repo = Files.createTempDirectory("covenant-kubo");
    } catch (IOException e) {
      throw new AssertionError("cannot create a temporary IPFS repository: " + e.getMessage(), e);
    }
    try {
      run(ipfs, repo, List.of("init", "--profile", "test", "--empty-repo"));
      run(ipfs, repo, List.of("config", "--json", "Addresses.API", "\"/ip4/127.0.0.1/tcp/0\""));
      run(ipfs, repo, List.of("config", "--json", "Addresses.Gateway", "\"/ip4/127.0.0.1/tcp/0\""));
      run(ipfs, repo, List.of("config", "--json", "Addresses.Swarm", "[\"/ip4/127.0.0.1/tcp/0\"]"));
      run(ipfs, repo, List.of("config", "--json", "Bootstrap", "[]"));
      run(ipfs, repo, List.of("config", "--json", "Discovery.MDNS.Enabled", "false"));
      return startDaemon(ipfs, repo);
    } catch (RuntimeException | Error e) {
      deleteTree(repo);
      throw e;
    }
  }

  private static KuboNode startDaemon(Path ipfs, Path repo) {
    ProcessBuilder pb = new ProcessBuilder(ipfs.toString(), "daemon").redirectErrorStream(true);
    pb.environment().put("IPFS_PATH", repo.toString());
    Process daemon;
    try {
      daemon = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start '" + ipfs + " daemon': " + e.getMessage(), e);
    }
    ArrayDeque<String> log = new ArrayDeque<>();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    String[] seen = new String[3]; // API port, swarm port, peer id, as the daemon prints them before "Daemon is ready"
    Thread.ofPlatform().daemon().name("kubo-log").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (log) {
            log.add(line);
            if (log.size() > 200) log.poll();
          }
          Matcher m;
          if ((m = API_LINE.matcher(line)).find()) seen[0] = m.group(1);
          if ((m = SWARM_LINE.matcher(line)).find()) seen[1] = m.group(1);
          if ((m = PEER_ID_LINE.matcher(line)).find()) seen[2] = m.group(1);
          if (line.contains("Daemon is ready")) ready.complete(true);
        }
      } catch (IOException ignored) {
        // The daemon exited; start() or close() reports it.
      }
      ready.complete(false);
    });
    try {
      if (!ready.get(120, TimeUnit.SECONDS)) throw new IllegalStateException("the daemon exited before it was ready");
      if (seen[0] == null || seen[1] == null || seen[2] == null) {
        throw new IllegalStateException("the daemon did not print its API port, TCP swarm port and peer id as Kubo does");
      }
      URI api = URI.create("http://127.0.0.1:" + seen[0]);
      return new KuboNode(daemon, repo, api, "/ip4/127.0.0.1/tcp/" + seen[1] + "/p2p/" + seen[2], log);
    } catch (Exception e) {
      String output;
      synchronized (log) {
        output = String.join("\n", log);
      }
      kill(daemon);
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      throw new AssertionError("the test Kubo daemon did not come up (" + e + "); run the tests again, and if it persists run '"
          + ipfs + " daemon' with IPFS_PATH set to a fresh 'ipfs init --profile test' repository to see why\n--- daemon output ---\n" + output, e);
    }
  }

  String log() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  /** Kills the daemon but keeps its repository (a node going down); {@link #close()} also deletes the repository. */
  void kill() {
    kill(daemon);
  }

  @Override
  public void close() {
    kill(daemon);
    deleteTree(repo);
  }

  static void kill(Process p) {
    List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
    tree.add(p.toHandle());
    for (ProcessHandle h : tree) h.destroy();
    for (ProcessHandle h : tree) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // A daemon killed mid-write can leave a file behind in the temporary folder; nothing reads it again.
    }
  }
}
