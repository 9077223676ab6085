package io.covenant.storage.ipfs;

import io.covenant.core.testing.PeerInstall;
import io.covenant.storage.blockstore.IpfsBlockstore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small IPFS Cluster on loopback, as docs/storage.md tells operators to deploy it: {@code n} Kubo nodes, each with
 * an {@code ipfs-cluster-service} beside it (CRDT consensus, one shared secret, every peer listing the others), a
 * replication factor, and Covenant talking to a peer's IPFS proxy endpoint. Programs come from
 * {@code .ci/peers.sh}; every listener is on 127.0.0.1 at a port picked here, and {@link #close()} kills everything
 * and deletes the temporary folders.
 */
final class IpfsClusterPeers implements AutoCloseable {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  /** One storage host: a Kubo node and its cluster peer. */
  static final class Peer {
    final KuboNode kubo;
    final Path config;
    final String id;
    final int clusterPort;
    final int proxyPort;
    final int restPort;
    Process service;
    final ArrayDeque<String> log = new ArrayDeque<>();

    Peer(KuboNode kubo, Path config, String id, int clusterPort, int proxyPort, int restPort) {
      this.kubo = kubo;
      this.config = config;
      this.id = id;
      this.clusterPort = clusterPort;
      this.proxyPort = proxyPort;
      this.restPort = restPort;
    }

    /** The cluster's IPFS proxy on this peer: the Kubo RPC API, with pins turned into cluster pins. */
    URI proxy() {
      return URI.create("http://127.0.0.1:" + proxyPort);
    }

    /** A block store on this peer's proxy, with room for a cluster pin to be allocated and replicated. */
    IpfsBlockstore store() {
      return IpfsBlockstore.at(proxy()).withTimeout(Duration.ofSeconds(60));
    }

    String address() {
      return "/ip4/127.0.0.1/tcp/" + clusterPort + "/p2p/" + id;
    }

    /** The storage host goes down: its cluster peer and its Kubo node are killed. */
    void kill() {
      if (service != null) KuboNode.kill(service);
      kubo.kill();
    }

    String log() {
      synchronized (log) {
        return String.join("\n", log);
      }
    }
  }

  private final List<Peer> peers;
  private final Path service;
  private final Path ctl;

  private IpfsClusterPeers(List<Peer> peers, Path service, Path ctl) {
    this.peers = peers;
    this.service = service;
    this.ctl = ctl;
  }

  List<Peer> peers() {
    return peers;
  }

  /** Starts {@code n} Kubo nodes and cluster peers with {@code replication} as both minimum and maximum factor. */
  static IpfsClusterPeers start(int n, int replication) {
    Path service = PeerInstall.install("cluster-service");
    Path ctl = PeerInstall.install("cluster-ctl");
    String secret = HexFormat.of().formatHex(randomBytes(32));
    List<Peer> peers = new ArrayList<>();
    IpfsClusterPeers cluster = new IpfsClusterPeers(peers, service, ctl);
    try {
      for (int i = 0; i < n; i++) {
        KuboNode kubo = KuboNode.start();
        Path config;
        try {
          config = Files.createTempDirectory("covenant-cluster-peer");
        } catch (IOException e) {
          kubo.close();
          throw new AssertionError("cannot create a temporary folder for a cluster peer: " + e.getMessage(), e);
        }
        run(List.of(service.toString(), "--config", config.toString(), "init", "--consensus", "crdt"), secret);
        String identity = read(config.resolve("identity.json"));
        Matcher m = ID.matcher(identity);
        if (!m.find()) throw new AssertionError("ipfs-cluster-service init wrote no peer id to " + config.resolve("identity.json"));
        peers.add(new Peer(kubo, config, m.group(1), freePort(), freePort(), freePort()));
      }
      // Bitswap needs the Kubo nodes connected; with no bootstrap peers and no mDNS they only know each other this way.
      for (Peer a : peers) {
        for (Peer b : peers) {
          if (a != b) NodeRpc.post(a.kubo.api(), "swarm/connect?arg=" + b.kubo.swarmAddress(), null);
        }
      }
      for (Peer p : peers) configure(p, peers, replication);
      for (Peer p : peers) startService(cluster, p);
      cluster.awaitPeers(n);
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new AssertionError("could not connect the cluster's Kubo nodes: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      cluster.close();
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while starting the IPFS Cluster", e);
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Rewrites the defaults that {@code init} wrote: loopback ports picked here, the replication factor, the other
   * peers as known addresses, no mDNS, and a short monitor interval so a fresh cluster allocates pins within seconds.
   * Each default is checked, so a release that changes them fails here by name instead of listening elsewhere.
   */
  private static void configure(Peer p, List<Peer> all, int replication) {
    Path file = p.config.resolve("service.json");
    String json = read(file);
    List<String> others = new ArrayList<>();
    for (Peer o : all) if (o != p) others.add("\"" + o.address() + "\"");
    String kuboApi = "\"/ip4/127.0.0.1/tcp/" + p.kubo.api().getPort() + "\"";
    json = replace(json, "\"/ip4/0.0.0.0/tcp/9096\",\n      \"/ip4/0.0.0.0/udp/9096/quic\"", "\"/ip4/127.0.0.1/tcp/" + p.clusterPort + "\"", file);
    json = replace(json, "\"replication_factor_min\": -1", "\"replication_factor_min\": " + replication, file);
    json = replace(json, "\"replication_factor_max\": -1", "\"replication_factor_max\": " + replication, file);
    json = replace(json, "\"monitor_ping_interval\": \"15s\"", "\"monitor_ping_interval\": \"2s\"", file);
    json = replace(json, "\"mdns_interval\": \"10s\"", "\"mdns_interval\": \"0s\"", file);
    json = replace(json, "\"peer_addresses\": []", "\"peer_addresses\": [" + String.join(", ", others) + "]", file);
    json = replace(json, "\"/ip4/127.0.0.1/tcp/9095\"", "\"/ip4/127.0.0.1/tcp/" + p.proxyPort + "\"", file);
    json = replace(json, "\"/ip4/127.0.0.1/tcp/9094\"", "\"/ip4/127.0.0.1/tcp/" + p.restPort + "\"", file);
    json = replace(json, "\"/ip4/127.0.0.1/tcp/9097\"", "\"/ip4/127.0.0.1/tcp/" + freePort() + "\"", file);
    json = json.replace("\"/ip4/127.0.0.1/tcp/5001\"", kuboApi);
    try {
      Files.writeString(file, json);
    } catch (IOException e) {
      throw new AssertionError("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String replace(String json, String from, String to, Path file) {
    if (!json.contains(from)) {
      throw new AssertionError(file + " (written by ipfs-cluster-service init) no longer holds " + from
          + "; the pinned IPFS Cluster release changed its defaults: update IpfsClusterPeers.configure");
    }
    return json.replace(from, to);
  }

  private static void startService(IpfsClusterPeers cluster, Peer p) throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cluster.service.toString(), "--config", p.config.toString(), "daemon").redirectErrorStream(true);
    try {
      p.service = pb.start();
    } catch (IOException e) {
      throw new AssertionError("cannot start ipfs-cluster-service: " + e.getMessage(), e);
    }
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Process proc = p.service;
    Thread.ofPlatform().daemon().name("cluster-peer-log").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (p.log) {
            p.log.add(line);
            if (p.log.size() > 300) p.log.poll();
          }
          if (line.contains("IPFS Cluster is READY")) ready.complete(true);
        }
      } catch (IOException ignored) {
        // The peer exited; reported below or by the test.
      }
      ready.complete(false);
    });
    try {
      if (!ready.get(120, TimeUnit.SECONDS)) throw new AssertionError("ipfs-cluster-service exited before it was ready:\n" + p.log());
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("ipfs-cluster-service was not ready within 120 s (" + e + "):\n" + p.log(), e);
    }
  }

  /**
   * Waits until every peer lists every peer and has every peer's free-space metric: the allocator places a pin only
   * on peers whose metrics it holds, so a pin sent earlier would find too few candidates.
   */
  private void awaitPeers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String last = "";
    for (Peer at : peers) {
      for (String[] what : List.of(new String[] {"peers", "ls"}, new String[] {"health", "metrics", "freespace"})) {
        while (true) {
          List<String> args = new ArrayList<>(List.of("--enc", "json"));
          args.addAll(List.of(what));
          last = ctl(at, args.toArray(String[]::new));
          int seen = 0;
          for (Peer p : peers) if (last.contains(p.id)) seen++;
          if (seen == n) break;
          if (System.nanoTime() > deadline) {
            throw new AssertionError("the cluster peers did not all see each other within 120 s; 'ipfs-cluster-ctl " + String.join(" ", what)
                + "' on one answered:\n" + last + "\n--- its log ---\n" + at.log());
          }
          Thread.sleep(500);
        }
      }
    }
  }

  /**
   * Waits until {@code cid} is pinned on exactly {@code copies} peers and pinning nowhere else, as the cluster's
   * status reports it from {@code from}; returns the ids of the peers holding it.
   */
  List<String> awaitPinned(Peer from, String cid, int copies) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String last = "";
    while (System.nanoTime() < deadline) {
      last = ctl(from, "--enc", "json", "status", cid);
      List<String> pinned = new ArrayList<>();
      boolean busy = false;
      for (Peer p : peers) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(p.id) + "\"\\s*:\\s*\\{[^}]*?\"status\"\\s*:\\s*\"([a-z_]+)\"").matcher(last);
        if (!m.find()) continue;
        if (m.group(1).equals("pinned")) pinned.add(p.id);
        else if (m.group(1).equals("pinning") || m.group(1).equals("pin_queued")) busy = true;
      }
      if (pinned.size() == copies && !busy) return pinned;
      Thread.sleep(500);
    }
    throw new AssertionError(cid + " did not reach " + copies + " pinned copies within 120 s; 'ipfs-cluster-ctl status' answered:\n" + last);
  }

  /** Runs {@code ipfs-cluster-ctl} against {@code peer}'s REST API and returns what it printed. */
  String ctl(Peer peer, String... args) {
    List<String> command = new ArrayList<>(List.of(ctl.toString(), "--host", "/ip4/127.0.0.1/tcp/" + peer.restPort));
    command.addAll(List.of(args));
    return run(command, null);
  }

  private static String run(List<String> command, String secret) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      if (secret != null) pb.environment().put("CLUSTER_SECRET", secret);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s:\n" + out);
      }
      if (p.exitValue() != 0) throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + out);
      return out;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command.get(0), e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port on 127.0.0.1: " + e, e);
    }
  }

  @Override
  public void close() {
    for (Peer p : peers) {
      if (p.service != null) KuboNode.kill(p.service);
      p.kubo.close();
      KuboNode.deleteTree(p.config);
    }
  }
}
