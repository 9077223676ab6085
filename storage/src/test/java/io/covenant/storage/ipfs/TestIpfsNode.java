package io.covenant.storage.ipfs;

import io.covenant.core.crypto.Digest;
import io.covenant.storage.blockstore.IpfsBlockstore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real IPFS node for the {@code @Tag("ipfs")} tests: js-ipfs 0.66.1 (Kubo-compatible RPC API), installed by
 * {@code npm ci} from {@code src/test/ipfs-node/package-lock.json} into {@code storage/.ipfs-node-cache/<lock hash>}
 * (git-ignored, so later runs reuse it), started once per test run on a fresh repository in a temporary directory
 * ({@code init --profile test}: no bootstrap peers, no MDNS) with API, gateway, gRPC and swarm bound to 127.0.0.1 on
 * ports the OS picks, and killed (with any child process) when the run ends.
 *
 * <p>Without {@code node} and {@code npm} the tests fail, saying what to install: they are part of the default
 * run and must not pass by being skipped.
 */
public final class TestIpfsNode implements ParameterResolver {
  /** See its package.json: an empty stand-in for an optional dependency npm cannot lock. */
  private static final String STAND_IN = "no-electron-webrtc";
  private static final Pattern API_LINE = Pattern.compile("(?:HTTP )?API (?:server )?listening on /ip4/127\\.0\\.0\\.1/tcp/(\\d+)");

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == IpfsBlockstore.class || p.getParameter().getType() == Running.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    Running node = c.getRoot().getStore(ExtensionContext.Namespace.create(TestIpfsNode.class))
        .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    return p.getParameter().getType() == Running.class ? node : node.store();
  }

  /** The daemon, closed by JUnit at the end of the whole run (a root-store resource). */
  public static final class Running implements ExtensionContext.Store.CloseableResource {
    private final Process daemon;
    private final Path repo;
    private final URI api;
    private final ArrayDeque<String> log;

    private Running(Process daemon, Path repo, URI api, ArrayDeque<String> log) {
      this.daemon = daemon;
      this.repo = repo;
      this.api = api;
      this.log = log;
    }

    public URI api() {
      return api;
    }

    /** A client with a short timeout, so a missing block fails fast. */
    public IpfsBlockstore store() {
      return IpfsBlockstore.at(api).withTimeout(Duration.ofSeconds(3));
    }

    static Running start() {
      Path cli = install();
      Path repo;
      try {
        repo = Files.createTempDirectory("covenant-ipfs-repo");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String config = "{\"Addresses\":{\"API\":\"/ip4/127.0.0.1/tcp/0\",\"Gateway\":\"/ip4/127.0.0.1/tcp/0\",\"RPC\":\"/ip4/127.0.0.1/tcp/0\","
          + "\"Swarm\":[\"/ip4/127.0.0.1/tcp/0\"],\"Announce\":[],\"Delegates\":[]},\"Bootstrap\":[],\"Discovery\":{\"MDNS\":{\"Enabled\":false}}}";
      Path configFile = repo.resolveSibling(repo.getFileName() + "-config.json");
      try {
        Files.writeString(configFile, config);
        run(List.of("node", cli.toString(), "init", "--profile", "test", "--emptyRepo", configFile.toString()), repo, Duration.ofMinutes(1));
        Files.deleteIfExists(configFile);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      ProcessBuilder pb = new ProcessBuilder("node", cli.toString(), "daemon").redirectErrorStream(true);
      pb.environment().put("IPFS_PATH", repo.toString());
      Process daemon;
      try {
        daemon = pb.start();
      } catch (IOException e) {
        throw new IllegalStateException("could not start the test IPFS daemon: " + e.getMessage(), e);
      }
      ArrayDeque<String> log = new ArrayDeque<>();
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread.ofPlatform().daemon().name("ipfs-daemon-log").start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            synchronized (log) {
              log.add(line);
              if (log.size() > 200) log.poll();
            }
            Matcher m = API_LINE.matcher(line);
            if (m.find()) port.complete(Integer.parseInt(m.group(1)));
          }
        } catch (IOException ignored) {
          // The daemon exited; start() or close() reports it.
        }
        port.complete(-1);
      });
      Running running = null;
      try {
        int p = port.get(60, TimeUnit.SECONDS);
        if (p < 0) throw new IllegalStateException("the test IPFS daemon exited before serving its API");
        running = new Running(daemon, repo, URI.create("http://127.0.0.1:" + p), log);
        running.awaitVersion();
        Running started = running;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close));
        return started;
      } catch (Exception e) {
        String output;
        synchronized (log) {
          output = String.join("\n", log);
        }
        if (running != null) running.close();
        else {
          kill(daemon);
          deleteTree(repo);
        }
        throw new IllegalStateException("the test IPFS daemon did not come up: " + e + "\n--- daemon output ---\n" + output, e);
      }
    }

    private void awaitVersion() throws InterruptedException {
      IpfsBlockstore probe = IpfsBlockstore.at(api).withTimeout(Duration.ofSeconds(2)).withRetries(0, Duration.ZERO);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        try {
          probe.version();
          return;
        } catch (RuntimeException e) {
          if (System.nanoTime() > deadline || !daemon.isAlive()) throw e;
          Thread.sleep(200);
        }
      }
    }

    @Override
    public synchronized void close() {
      kill(daemon);
      deleteTree(repo);
    }
  }

  private static void kill(Process p) {
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

  /**
   * Installs the pinned node once per lock-file content into the git-ignored cache and returns the path of its CLI.
   * A file lock keeps two concurrent test runs from installing into the same folder.
   */
  static Path install() {
    requireTool("node");
    requireTool("npm");
    Path basedir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    Path sources = basedir.resolve("src/test/ipfs-node");
    try {
      byte[] lock = Files.readAllBytes(sources.resolve("package-lock.json"));
      byte[] pkg = Files.readAllBytes(sources.resolve("package.json"));
      String key = Digest.sha256(concat(concat(pkg, lock), Files.readAllBytes(sources.resolve(STAND_IN).resolve("package.json")))).shortForm();
      Path cache = basedir.resolve(".ipfs-node-cache");
      Files.createDirectories(cache);
      Path dir = cache.resolve(key);
      Path cli = dir.resolve("node_modules/ipfs/src/cli.js");
      Path done = dir.resolve(".installed");
      try (FileChannel ch = FileChannel.open(cache.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = ch.lock()) {
        if (Files.exists(done) && Files.exists(cli)) return cli;
        deleteTree(dir);
        Files.createDirectories(dir);
        Files.copy(sources.resolve("package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(sources.resolve("package-lock.json"), dir.resolve("package-lock.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(dir.resolve(STAND_IN));
        Files.copy(sources.resolve(STAND_IN).resolve("package.json"), dir.resolve(STAND_IN).resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
        run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), dir, Duration.ofMinutes(10));
        if (!Files.exists(cli)) throw new IllegalStateException("npm ci finished but " + cli + " is missing; delete " + dir + " and run the tests again");
        Files.writeString(done, "installed from package-lock.json " + key + "\n");
        return cli;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not install the test IPFS node under " + basedir.resolve(".ipfs-node-cache") + ": " + e.getMessage(), e);
    }
  }

  private static void requireTool(String tool) {
    try {
      Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) return;
    } catch (IOException e) {
      // reported below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IllegalStateException("the storage integration tests (@Tag(\"ipfs\")) run a real IPFS node and need '" + tool
        + "' on the PATH: install Node.js 18 or newer with npm (e.g. 'apt-get install nodejs npm'), then run the tests again");
  }

  private static void run(List<String> command, Path dir, Duration limit) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
      if (command.contains("init")) pb.environment().put("IPFS_PATH", dir.toString());
      Path out = Files.createTempFile("covenant-ipfs-cmd", ".log");
      pb.redirectOutput(out.toFile());
      Process p = pb.start();
      try {
        if (!p.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
          kill(p);
          throw new IllegalStateException(String.join(" ", command) + " did not finish within " + limit.toMinutes() + " min:\n" + tail(out));
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + tail(out));
      } finally {
        if (p.isAlive()) kill(p);
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(String.join(" ", command) + " was interrupted", e);
    }
  }

  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
