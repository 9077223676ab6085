package io.covenant.ledger.evm;

import io.covenant.core.crypto.Digest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.web3j.crypto.Credentials;

/**
 * A real EVM JSON-RPC node for the integration tests: Ganache 7.9.2 from npm, pinned by
 * {@code src/test/evm-node/package-lock.json}. On first use it runs {@code npm ci} into {@code ledger-bridge/.evm-node/}
 * (git-ignored; skipped when that folder already holds the same lock file), starts Ganache on 127.0.0.1 at a free
 * port with the shanghai hardfork, instant mining and deterministic funded accounts, and waits for eth_blockNumber.
 * One node serves the whole test run; it is killed with its process tree when JUnit finishes (and by a shutdown hook
 * if the JVM dies first).
 *
 * <p>Without node or npm the tests fail with what to install: they are part of the default run and never skip.
 */
public final class GanacheNode implements BeforeAllCallback, ParameterResolver {
  static final int ACCOUNTS = 10;

  /** The running node, shared by every test class that uses this extension. */
  public static final class Running implements ExtensionContext.Store.CloseableResource {
    private final Process process;
    private final Thread hook;
    public final String url;
    public final List<Credentials> accounts;
    private final Path logFile;

    private Running(Process process, String url, List<Credentials> accounts, Path logFile) {
      this.process = process;
      this.url = url;
      this.accounts = accounts;
      this.logFile = logFile;
      this.hook = new Thread(this::kill, "ganache-killer");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    public EvmEndpoint endpoint() {
      return EvmEndpoint.of(url);
    }

    /** Mines {@code n} empty blocks (Ganache's evm_mine). */
    public void mine(int n) {
      try (JsonRpcNode node = JsonRpcNode.connect(endpoint())) {
        for (int i = 0; i < n; i++) node.raw("evm_mine", List.of());
      }
    }

    public long blockNumber() {
      try (JsonRpcNode node = JsonRpcNode.connect(endpoint())) {
        return node.blockNumber();
      }
    }

    private void kill() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      kill();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // The JVM is already shutting down; the hook has run or will run kill() again, harmlessly.
      }
    }

    String log() {
      try {
        return Files.readString(logFile);
      } catch (IOException e) {
        return "(no log: " + e.getMessage() + ")";
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Running.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return running(e);
  }

  private static Running running(ExtensionContext context) {
    return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(GanacheNode.class, k -> start(), Running.class);
  }

  /** The test accounts' keys: fixed, so every run funds the same addresses. */
  static List<Credentials> deterministicAccounts() {
    List<Credentials> out = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      out.add(Credentials.create(Digest.sha256(("covenant ganache test account " + i).getBytes(StandardCharsets.UTF_8)).hex()));
    }
    return List.copyOf(out);
  }

  static Path moduleDir() {
    Path here = Path.of("").toAbsolutePath();
    if (Files.exists(here.resolve("src/test/evm-node/package.json"))) return here;
    if (Files.exists(here.resolve("ledger-bridge/src/test/evm-node/package.json"))) return here.resolve("ledger-bridge");
    // Another module's tests (the coordinator's CLI tests use this fixture through ledger-bridge's test jar).
    if (here.getParent() != null && Files.exists(here.getParent().resolve("ledger-bridge/src/test/evm-node/package.json"))) {
      return here.getParent().resolve("ledger-bridge");
    }
    throw new AssertionError("cannot find ledger-bridge/src/test/evm-node/package.json from " + here + ": run the tests from the repository or module root");
  }

  /** Installs the pinned npm packages into ledger-bridge/.evm-node/ unless the same lock file is already installed there. */
  static Path install() {
    requireTool("node", "--version");
    requireTool("npm", "--version");
    Path module = moduleDir();
    Path spec = module.resolve("src/test/evm-node");
    Path cache = module.resolve(".evm-node");
    try {
      Files.createDirectories(cache);
      byte[] lock = Files.readAllBytes(spec.resolve("package-lock.json"));
      Path installedLock = cache.resolve("package-lock.json");
      boolean current = Files.exists(installedLock) && Arrays.equals(lock, Files.readAllBytes(installedLock))
          && Files.exists(cache.resolve("node_modules/ganache/dist/node/cli.js")) && Files.exists(cache.resolve("node_modules/solc/soljson.js"));
      if (!current) {
        Files.copy(spec.resolve("package.json"), cache.resolve("package.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(installedLock, lock);
        Path npmLog = cache.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
            .directory(cache.toFile()).redirectErrorStream(true).redirectOutput(npmLog.toFile()).start();
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
          npm.destroyForcibly();
          throw new AssertionError("npm ci in " + cache + " did not finish within 5 minutes; is the npm registry reachable? Log: " + npmLog);
        }
        if (npm.exitValue() != 0) {
          Files.deleteIfExists(installedLock);
          throw new AssertionError("npm ci in " + cache + " failed (exit " + npm.exitValue() + "); the EVM tests need the npm registry the first time. Log:\n"
              + Files.readString(npmLog));
        }
      }
      return cache;
    } catch (IOException e) {
      throw new AssertionError("cannot install the test EVM node into " + cache + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while installing the test EVM node", e);
    }
  }

  private static void requireTool(String tool, String arg) {
    try {
      Process p = new ProcessBuilder(tool, arg).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      if (p.waitFor() == 0) return;
    } catch (IOException e) {
      // fall through to the message below
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new AssertionError("the EVM integration tests (@Tag(\"evm\")) need Node.js 20 and npm on the PATH, and '" + tool + " " + arg
        + "' did not run: install them (e.g. 'apt-get install nodejs npm', or from https://nodejs.org) and run the tests again");
  }

  private static Running start() {
    Path cache = install();
    List<Credentials> accounts = deterministicAccounts();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port on 127.0.0.1: " + e, e);
    }
    List<String> cmd = new ArrayList<>(List.of(
        "node", cache.resolve("node_modules/ganache/dist/node/cli.js").toString(),
        "--server.host", "127.0.0.1", "--server.port", Integer.toString(port),
        "--chain.hardfork", "shanghai", "--chain.chainId", "1337", "--miner.instamine", "eager",
        "--logging.quiet"));
    for (Credentials c : accounts) {
      cmd.add("--wallet.accounts");
      cmd.add(org.web3j.utils.Numeric.toHexStringWithPrefixZeroPadded(c.getEcKeyPair().getPrivateKey(), 64) + ",0xD3C21BCECCEDA1000000"); // 1,000,000 ETH each
    }
    Path logFile = cache.resolve("ganache-" + port + ".log");
    Process p;
    try {
      p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot start Ganache: " + e, e);
    }
    String url = "http://127.0.0.1:" + port;
    Running r = new Running(p, url, accounts, logFile);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!p.isAlive()) {
        r.close();
        throw new AssertionError("Ganache exited with " + p.exitValue() + " before answering on " + url + ":\n" + r.log());
      }
      try {
        HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
            .header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() == 200 && resp.body().contains("\"result\"")) return r;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        r.close();
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for Ganache", e);
      }
      if (System.nanoTime() > deadline) {
        r.close();
        throw new AssertionError("Ganache did not answer eth_blockNumber on " + url + " within 60 s:\n" + r.log());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        r.close();
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for Ganache", e);
      }
    }
  }
}
