package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.error.CovenantException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the coordinator's HTTP API over the data directory: datasets and policies (schemas and addresses, never values), signed job submissions and approvals, job status, sealed results, the ledger's entries, checkpoint and proofs.",
      "The API describes itself at /api/openapi.yml (see docs/api.md). Stop it with Ctrl-C.",
      "With --tls it serves HTTPS with TLS 1.3 only, presents the operator's consortium certificate, and accepts only callers whose client certificate chains to the consortium root pinned in consortium.json and is not revoked; each member may then do only what its roles allow (docs/api.md)."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--port", defaultValue = "8480", description = "TCP port (default: ${DEFAULT-VALUE}); 0 takes a free port and prints it.")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--tls", description = "Serve HTTPS with mutual TLS: the data directory must pin a consortium root ('./covenant ca init').")
  boolean tls;

  @Option(names = "--topology", paramLabel = "FILE",
      description = "Dispatch TEE jobs to a worker process and leave key release to the owners' node processes named in FILE "
          + "(written by './covenant up' and the demo); this server then holds no key but the operator's.")
  java.nio.file.Path topology;

  /** The Micronaut properties of a server over {@code dataDir} on {@code host:port} (0: a free port), with mutual TLS or without. */
  static Map<String, Object> properties(DataDirOption dataDir, String host, int port, boolean tls) {
    Map<String, Object> p = new java.util.HashMap<>(Map.of(
        "covenant.data-dir", dataDir.path().toString(),
        "covenant.blockstore", dataDir.blockstore,
        "covenant.ledger", dataDir.ledger,
        "covenant.db", dataDir.database().text(),
        "micronaut.server.host", host,
        "micronaut.banner.enabled", false));
    if (tls) {
      // Only the HTTPS listener: the plain port is not opened at all.
      p.putAll(Map.of("covenant.tls", true, "micronaut.server.ssl.enabled", true, "micronaut.server.ssl.port", port == 0 ? -1 : port,
          "micronaut.server.dual-protocol", false));
    } else {
      p.put("micronaut.server.port", port == 0 ? -1 : port);
    }
    return p;
  }

  @Override
  public Integer call() throws InterruptedException {
    Map<String, Object> props = new java.util.HashMap<>(properties(dataDir, host, port, tls));
    if (topology != null) props.put("covenant.topology", topology.toAbsolutePath().toString());
    ApplicationContext ctx = ApplicationContext.run(props);
    // Opening the deployment first (not on the first request) refuses a missing data directory or a bad --ledger before
    // the port is bound, and takes the ledger's lock before the CLI socket appears.
    LocalDeployment deployment;
    try {
      deployment = ctx.getBean(LocalDeployment.class);
      // The TLS identity too (a pinned root, the operator's certificate), so that a data directory without them is
      // refused with its reason before any port is bound, not when the first connection arrives.
      if (tls) ctx.getBean(io.micronaut.http.server.netty.ssl.ServerSslBuilder.class).build();
    } catch (RuntimeException e) {
      ctx.close();
      throw covenantCause(e);
    }
    EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
    var daemon = CliDaemon.start(dataDir, deployment);
    if (tls) System.out.println("covenant: mutual TLS (TLS 1.3): only consortium members with a valid, unrevoked certificate are served");
    if (tls && deployment.suite().isNational()) System.out.println("covenant: transport: " + io.covenant.core.identity.MutualTls.transportOf(deployment.suite()));
    System.out.println("covenant: serving " + dataDir.path().toAbsolutePath() + " at " + server.getURL() + "/api (Ctrl-C to stop)");
    System.out.println("covenant: the API's OpenAPI document is at " + server.getURL() + "/api/openapi.yml");
    if (!tls && !isLoopback(host)) {
      System.out.println("covenant: warning: " + host + " is reachable from other machines and the API has no login; every job and"
          + " approval must still be signed by its organisation, but anyone who reaches it can read the catalogue and the ledger");
    }
    daemon.ifPresent(d -> System.out.println("covenant: job, dataset, policy and org commands on this data directory now run in this server"));
    java.util.concurrent.ScheduledExecutorService cosigning = topology != null && deployment.consortium().map(c -> !c.witnesses().isEmpty()).orElse(false)
        ? startCosigning(deployment) : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (cosigning != null) cosigning.shutdownNow();
      daemon.ifPresent(CliDaemon::close);
      ctx.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }

  /**
   * The processes deployment's witnesses are the organisations' nodes: every few seconds, when the log has grown since
   * the last cosigned checkpoint, the coordinator signs a checkpoint and asks each node to cosign it (each checks it
   * against the log it verified itself). Refusals and unreachable nodes are printed, never fatal: witnessing is how the
   * others catch this coordinator, so it must not be able to stop serving because of them.
   */
  private static java.util.concurrent.ScheduledExecutorService startCosigning(LocalDeployment deployment) {
    var executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "covenant-cosigning");
      t.setDaemon(true);
      return t;
    });
    long[] witnessed = {-1};
    executor.scheduleWithFixedDelay(() -> {
      try {
        long size = deployment.ledger().size();
        if (size == witnessed[0]) return;
        var outcome = deployment.cosignRemotely();
        outcome.refusals().forEach((w, why) -> System.out.println("covenant: witness " + w + " did not cosign: " + why));
        int quorum = deployment.consortium().map(io.covenant.ledger.verify.Consortium::quorum).orElse(1);
        if (outcome.checkpoint().cosignatures().size() >= quorum) witnessed[0] = outcome.checkpoint().checkpoint().treeSize();
      } catch (RuntimeException e) {
        System.out.println("covenant: cosigning round failed: " + e.getMessage());
      }
    }, 2, 3, java.util.concurrent.TimeUnit.SECONDS);
    return executor;
  }

  /** The Covenant error inside Micronaut's bean-creation wrapper, so that the CLI prints it as every command does. */
  private static RuntimeException covenantCause(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CovenantException c) return c;
    }
    return e;
  }

  private static boolean isLoopback(String host) {
    try {
      return java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
