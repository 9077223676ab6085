package io.covenant.ledger.evm;

import io.covenant.core.testing.PeerInstall;
import io.covenant.core.crypto.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Real EVM JSON-RPC nodes for the integration tests, one of each {@link Kind} per test run, started on first use on
 * 127.0.0.1 at a port the OS picks, with the same ten funded accounts on every kind, and killed with their process
 * trees when JUnit finishes (and by a shutdown hook if the JVM dies first):
 *
 * <ul>
 *   <li>{@link #anvil()}: Foundry's anvil from npm ({@code @foundry-rs/anvil-linux-amd64}, the binary run directly);
 *       the default node, what {@code @ExtendWith(EvmTestNode.class)} hands a {@link Running} parameter. A reverting
 *       transaction is mined with a failed receipt.
 *   <li>{@link #geth()}: go-ethereum in {@code --dev} mode, a production client, built from the Go module proxy. A
 *       block is sealed as soon as a transaction arrives; a reverting transaction is mined with a failed receipt.
 *   <li>{@link #hardhat()}: a Hardhat 2 node from npm, run with node directly. A reverting transaction is refused in
 *       the answer to {@code eth_sendRawTransaction}, with the revert data.
 * </ul>
 *
 * <p>Programs are installed by {@code .ci/peers.sh} (pinned versions, git-ignored cache, reused when present); a failed
 * install or start fails the test with what failed and how to retry. These tests are part of the default run and never
 * skip.
 */
public final class EvmTestNode implements BeforeAllCallback, ParameterResolver {
  static final int ACCOUNTS = 10;
  private static final BigInteger FUNDS = new BigInteger("1000000000000000000000000"); // 1,000,000 ETH per account

  /** The node implementations the tests run against. */
  public enum Kind {
    ANVIL, GETH, HARDHAT;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  private static final Map<Kind, Running> STARTED = new EnumMap<>(Kind.class);

  /**
   * The node kinds the per-node tests run on: every kind, unless the system property {@code covenant.evm.nodes} names
   * some (comma-separated, e.g. {@code -Dcovenant.evm.nodes=anvil,hardhat} to leave out the geth build).
   */
  public static Stream<Kind> kinds() {
    String chosen = System.getProperty("covenant.evm.nodes", "").strip();
    if (chosen.isEmpty()) return Stream.of(Kind.values());
    List<Kind> out = new ArrayList<>();
    for (String name : chosen.split(",")) {
      try {
        out.add(Kind.valueOf(name.strip().toUpperCase()));
      } catch (IllegalArgumentException e) {
        throw new AssertionError("covenant.evm.nodes names '" + name.strip() + "', which is not a test node kind: use anvil, geth or hardhat");
      }
    }
    return out.stream();
  }

  /** The shared anvil node (the default test node). */
  public static Running anvil() {
    return of(Kind.ANVIL);
  }

  /** The shared go-ethereum {@code --dev} node. */
  public static Running geth() {
    return of(Kind.GETH);
  }

  /** The shared Hardhat node. */
  public static Running hardhat() {
    return of(Kind.HARDHAT);
  }

  /** The shared node of {@code kind}, started on first use. */
  public static Running of(Kind kind) {
    synchronized (STARTED) {
      Running r = STARTED.get(kind);
      if (r == null || !r.process.isAlive()) {
        r = start(kind);
        STARTED.put(kind, r);
      }
      return r;
    }
  }

  /** A running node: its URL, its funded accounts, and the few node controls the tests need. */
  public static final class Running {
    private final Kind kind;
    private final Process process;
    private final Path dataDir;
    private final ArrayDeque<String> log;
    private final Thread hook;
    public final String url;
    public final List<Credentials> accounts;
    private volatile String devAccount; // geth only: the unlocked account that funds the others and seals blocks

    private Running(Kind kind, Process process, Path dataDir, ArrayDeque<String> log, String url, List<Credentials> accounts) {
      this.kind = kind;
      this.process = process;
      this.dataDir = dataDir;
      this.log = log;
      this.url = url;
      this.accounts = accounts;
      this.hook = new Thread(this::kill, kind + "-node-killer");
      Runtime.getRuntime().addShutdownHook(hook);
    }

    public Kind kind() {
      return kind;
    }

    public EvmEndpoint endpoint() {
      return EvmEndpoint.of(url);
    }

    public long blockNumber() {
      try (JsonRpcNode node = JsonRpcNode.connect(endpoint())) {
        return node.blockNumber();
      }
    }

    /**
     * Adds {@code n} blocks: evm_mine on anvil and Hardhat; on geth, which has no such call, one zero-value transfer
     * from its dev account per block (a {@code --dev.period 0} node seals a block for each transaction).
     */
    public void mine(int n) {
      for (int i = 0; i < n; i++) {
        if (kind == Kind.GETH) {
          String tx = (String) rpc("eth_sendTransaction", "[{\"from\":\"" + devAccount + "\",\"to\":\"" + devAccount + "\",\"value\":\"0x0\"}]");
          awaitReceipt(tx);
        } else {
          rpc("evm_mine", "[]");
        }
      }
    }

    /** One JSON-RPC call; returns the result as a string or the raw JSON text, and fails on an error answer. */
    Object rpc(String method, String paramsJson) {
      String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + paramsJson + "}";
      try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
            .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = RESULT_STRING.matcher(r.body());
        if (r.statusCode() == 200 && m.find()) return m.group(1);
        if (r.statusCode() == 200 && r.body().contains("\"result\"") && !r.body().contains("\"error\"")) return r.body();
        throw new AssertionError(kind + " node at " + url + " answered " + method + " with HTTP " + r.statusCode() + ": " + r.body());
      } catch (IOException e) {
        throw new AssertionError(kind + " node at " + url + " did not answer " + method + ": " + e + "\n" + log(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while calling " + method + " on the " + kind + " node", e);
      }
    }

    private void awaitReceipt(String tx) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (rpc("eth_getTransactionReceipt", "[\"" + tx + "\"]").toString().contains("\"result\":null")) {
        if (System.nanoTime() > deadline) throw new AssertionError("transaction " + tx + " was not mined on the " + kind + " node within 60 s:\n" + log());
        pause(50);
      }
    }

    String log() {
      synchronized (log) {
        return String.join("\n", log);
      }
    }

    private void kill() {
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      for (ProcessHandle h : tree) h.destroy();
      for (ProcessHandle h : tree) {
        try {
          h.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          h.destroyForcibly();
        }
      }
      if (dataDir != null) deleteTree(dataDir);
    }

    void close() {
      kill();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException ignored) {
        // The JVM is already shutting down; the hook has run or will run kill() again, harmlessly.
      }
    }
  }

  private static final Pattern RESULT_STRING = Pattern.compile("\"result\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern ANVIL_LISTENING = Pattern.compile("Listening on 127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern HARDHAT_LISTENING = Pattern.compile("JSON-RPC server at http://127\\.0\\.0\\.1:(\\d+)");
  private static final Pattern GETH_LISTENING = Pattern.compile("HTTP server started\\s+endpoint=127\\.0\\.0\\.1:(\\d+)");

  // ---------------------------------------------------------------- JUnit

  /** Closes every node this run started, when the run ends (a root-store resource). */
  private static final class Closer implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      synchronized (STARTED) {
        for (Running r : STARTED.values()) r.close();
        STARTED.clear();
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.create(EvmTestNode.class)).getOrComputeIfAbsent(Closer.class, k -> new Closer(), Closer.class);
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == Running.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    beforeAll(e);
    return anvil();
  }

  // ---------------------------------------------------------------- accounts

  /** The test accounts' keys: fixed, so every run and every node kind funds the same addresses. */
  static List<Credentials> deterministicAccounts() {
    List<Credentials> out = new ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      out.add(Credentials.create(Digest.sha256(("covenant test account " + i).getBytes(StandardCharsets.UTF_8)).hex()));
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------- starting

  private static Running start(Kind kind) {
    Path program = PeerInstall.install(kind.toString());
    Path dataDir = null;
    List<String> cmd;
    Pattern listening;
    Path workDir = null;
    try {
      switch (kind) {
        case ANVIL -> {
          cmd = List.of(program.toString(), "--host", "127.0.0.1", "--port", "0", "--chain-id", "1337", "--accounts", "1");
          listening = ANVIL_LISTENING;
        }
        case HARDHAT -> {
          workDir = program.getParent().getParent().getParent().getParent().getParent(); // the folder holding node_modules and hardhat.config.js
          cmd = List.of("node", program.toString(), "node", "--hostname", "127.0.0.1", "--port", "0", "--config", workDir.resolve("hardhat.config.js").toString());
          listening = HARDHAT_LISTENING;
        }
        case GETH -> {
          dataDir = Files.createTempDirectory("covenant-geth-dev");
          cmd = List.of(program.toString(), "--dev", "--dev.period", "0", "--datadir", dataDir.toString(),
              "--http", "--http.addr", "127.0.0.1", "--http.port", "0", "--http.api", "eth,net,web3",
              "--nodiscover", "--maxpeers", "0", "--port", "0", "--authrpc.port", Integer.toString(freePort()), "--ipcdisable",
              "--verbosity", "3");
          listening = GETH_LISTENING;
        }
        default -> throw new AssertionError(kind);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot prepare the " + kind + " node: " + e, e);
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (workDir != null) pb.directory(workDir.toFile());
    pb.environment().put("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      if (dataDir != null) deleteTree(dataDir);
      throw new AssertionError("cannot start the " + kind + " node (" + String.join(" ", cmd) + "): " + e.getMessage(), e);
    }
    ArrayDeque<String> log = new ArrayDeque<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name(kind + "-node-log").start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (log) {
            log.add(line);
            if (log.size() > 200) log.poll();
          }
          Matcher m = listening.matcher(line);
          if (m.find()) port.complete(Integer.parseInt(m.group(1)));
        }
      } catch (IOException ignored) {
        // The node exited; start() or close() reports it.
      }
      port.complete(-1);
    });
    List<Credentials> accounts = deterministicAccounts();
    Running running = null;
    try {
      int p = port.get(120, TimeUnit.SECONDS);
      if (p < 0) throw new IllegalStateException("it exited before serving JSON-RPC");
      running = new Running(kind, process, dataDir, log, "http://127.0.0.1:" + p, accounts);
      awaitBlockNumber(running);
      fund(running);
      return running;
    } catch (Exception e) {
      String output;
      synchronized (log) {
        output = String.join("\n", log);
      }
      if (running != null) running.close();
      else {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (dataDir != null) deleteTree(dataDir);
      }
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
      throw new AssertionError("the " + kind + " test node did not come up (" + e + "); run the tests again, and if it persists run "
          + String.join(" ", cmd) + " by hand\n--- node output ---\n" + output, e);
    }
  }

  private static void awaitBlockNumber(Running r) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        r.rpc("eth_blockNumber", "[]");
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline || !r.process.isAlive()) throw e;
        Thread.sleep(100);
      }
    }
  }

  /** Gives every test account the same balance: a node control call on anvil and Hardhat, transfers on geth. */
  private static void fund(Running r) {
    String amount = Numeric.toHexStringWithPrefix(FUNDS);
    switch (r.kind) {
      case ANVIL, HARDHAT -> {
        String method = r.kind == Kind.ANVIL ? "anvil_setBalance" : "hardhat_setBalance";
        for (Credentials c : r.accounts) r.rpc(method, "[\"" + c.getAddress() + "\",\"" + amount + "\"]");
      }
      case GETH -> {
        String accounts = r.rpc("eth_accounts", "[]").toString();
        Matcher m = Pattern.compile("0x[0-9a-fA-F]{40}").matcher(accounts);
        if (!m.find()) throw new AssertionError("the geth --dev node has no unlocked dev account (eth_accounts answered " + accounts + ")");
        r.devAccount = m.group();
        List<String> txs = new ArrayList<>();
        for (Credentials c : r.accounts) {
          txs.add((String) r.rpc("eth_sendTransaction", "[{\"from\":\"" + r.devAccount + "\",\"to\":\"" + c.getAddress() + "\",\"value\":\"" + amount + "\"}]"));
        }
        for (String tx : txs) r.awaitReceipt(tx);
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port on 127.0.0.1: " + e, e);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a test EVM node", e);
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // A node that died mid-write may leave a file behind in the temporary folder; nothing else depends on it.
    }
  }
}
