package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.DeploymentFile;
import io.covenant.coordinator.deployment.DeploymentRunner;
import io.covenant.coordinator.deployment.ProcessSupervisor;
import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Starts the processes a deployment file describes (coordinator, TEE worker, organisation nodes; see",
      "docs/operations.md for the format) and keeps them running until Ctrl-C, with a log per process. The same file",
      "serves every host: on each, start only that host's processes with --only. The first run on the host that keeps",
      "the consortium's CA enrols everyone (--enrol): a CA, the coordinator's folder, and each node's and the worker's own",
      "folder with its keys and certificate, which are then copied to their hosts. With --enrol --suite sm the consortium is",
      "made on the Chinese national standards (SM2, SM3, SM4); a CA made beforehand ('./covenant ca init --suite sm') fixes",
      "the suite too. A later run with a --suite other than the consortium's is refused."
    })
final class UpCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The deployment file (YAML).")
  Path file;

  @Option(names = "--only", split = ",", paramLabel = "NAME",
      description = "Start only these processes: coordinator, worker, or an organisation's name (default: all).")
  List<String> only = List.of();

  @Option(names = "--enrol", description = "Enrol every organisation and the worker first (once, where the CA is kept).")
  boolean enrol;

  @picocli.CommandLine.Mixin SuiteOption suite;

  @Override
  public Integer call() throws InterruptedException {
    DeploymentFile f = DeploymentFile.read(file);
    if (suite.given() && DeploymentRunner.enrolled(f)) DeploymentRunner.requireSuite(f, suite.suite());
    if (enrol) {
      System.out.println("covenant: enrolling the deployment of " + file);
      if (suite.given()) DeploymentRunner.enrol(f, System.out, suite.suite());
      else DeploymentRunner.enrol(f, System.out);
    } else if (!DeploymentRunner.enrolled(f) && (only.isEmpty() || only.contains("coordinator"))) {
      throw new CovenantException(f.coordinator().dataDir() + " holds no deployment yet; enrol it once with './covenant up " + file + " --enrol'");
    }
    java.nio.file.Path consortiumFile = f.coordinator().dataDir().resolve(io.covenant.coordinator.deployment.LocalDeployment.CONSORTIUM_FILE);
    if (java.nio.file.Files.exists(consortiumFile)) {
      var s = io.covenant.ledger.verify.Consortium.read(consortiumFile).suite();
      System.out.println("covenant: crypto suite " + s.id() + " (" + s.signatureAlgorithm() + ", " + s.hashAlgorithm() + ", " + s.aeadAlgorithm() + ")");
      System.out.println("covenant: transport between the processes: " + io.covenant.core.identity.MutualTls.transportOf(s));
    }
    ProcessSupervisor supervisor = new ProcessSupervisor(f.folder().resolve("logs"), System.out);
    try {
      var started = DeploymentRunner.start(f, new LinkedHashSet<>(only), supervisor);
      TextTable t = TextTable.withHeaders("process", "pid", "address", "log");
      for (var c : started.children().values()) {
        String address = c.name().equals("worker") ? f.worker().orElseThrow().process().address().toString()
            : c.announced().startsWith("https") ? c.announced() : "";
        t.row(c.name(), c.process().pid(), address, c.log());
      }
      System.out.print(t.render());
      System.out.println("covenant: running; Ctrl-C stops every process started here");
      while (true) {
        Thread.sleep(1000);
        supervisor.requireAlive();
      }
    } catch (CovenantException e) {
      supervisor.close();
      throw e;
    }
  }
}
