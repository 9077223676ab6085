package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
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
      "Serves the coordinator's HTTP API over the data directory: datasets (schemas and addresses, never values),",
      "job submission and status, sealed results, the ledger's entries, checkpoint and proofs. Stop it with Ctrl-C."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  @Option(names = "--port", defaultValue = "8480", description = "TCP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    ApplicationContext ctx = ApplicationContext.run(Map.of(
        "covenant.data-dir", dataDir.path().toString(),
        "covenant.blockstore", dataDir.blockstore,
        "micronaut.server.port", port,
        "micronaut.server.host", host,
        "micronaut.banner.enabled", false));
    EmbeddedServer server = ctx.getBean(EmbeddedServer.class).start();
    // Opening the deployment now (not on the first request) takes the ledger's lock before the CLI socket appears.
    var daemon = CliDaemon.start(dataDir, ctx.getBean(LocalDeployment.class));
    System.out.println("covenant: serving " + dataDir.path().toAbsolutePath() + " at " + server.getURL() + "/api (Ctrl-C to stop)");
    daemon.ifPresent(d -> System.out.println("covenant: job, dataset, policy and org commands on this data directory now run in this server"));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      daemon.ifPresent(CliDaemon::close);
      ctx.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
