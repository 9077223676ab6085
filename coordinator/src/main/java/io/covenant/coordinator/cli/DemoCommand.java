package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hospital -> insurer statistics scenario end to end on embedded defaults, every organisation in a process",
      "of its own on loopback: the coordinator, the TEE worker, three hospital nodes and the insurer's node, speaking mutual",
      "TLS with certificates from a consortium CA it sets up. The hospitals publish encrypted claims and policies from their",
      "own nodes, the insurer's aggregate query runs in the TEE worker (simulated attestation, labelled as such), which asks",
      "each hospital's node for its key; the insurer opens the result at its node, the log is verified and shown to catch",
      "tampering, and a query that singles out patients is denied. The coordinator's process holds no key but the",
      "operator's. Running it again adds new dataset versions. Logs of each process are in DIR/logs.",
      "",
      "'./covenant demo mpc' runs the same scenario and then the same query on the multi-party engine: the three hospitals'",
      "nodes decrypt their own claims, secret-share their per-group counts and sums into a three-party computation over",
      "mutual TLS, and the insurer reconstructs the result at its node; both tables are printed with how far they differ.",
      "",
      "'./covenant demo risk' trains the insurer x hospital risk model: a hospital's patient features and the insurer's claim",
      "labels, keyed by the same pseudonym, are intersected by PSI between the two nodes and a logistic regression is trained",
      "on secret shares with a second hospital's node as the third party; the model, sealed to the insurer, is printed beside",
      "the same model trained in the clear on the pooled rows.",
      "",
      "'./covenant demo vehicles' runs the vehicle OBD licensing scenario instead (see its own --help)."
    },
    subcommands = {VehiclesDemoCommand.class})
final class DemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @Mixin CaOption ca;

  @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", defaultValue = "statistics",
      description = "Which scenario to run: statistics (the default: the TEE route), mpc (the TEE route, then the multi-party route) or risk "
          + "(the insurer x hospital risk model: PSI on pseudonymous ids, then logistic regression in a three-party computation).")
  String scenario;

  @picocli.CommandLine.Option(names = "--in-process",
      description = "Run every component in this one JVM instead (the embedded deployment: one data directory holding every keystore, "
          + "with the organisations as witnesses of the log), as Covenant did before organisation nodes existed.")
  boolean inProcess;

  @Override
  public Integer call() {
    boolean mpc = switch (scenario) {
      case "statistics" -> false;
      case "mpc", "risk" -> true;
      default -> throw new io.covenant.core.error.MalformedInputException("demo scenario '" + scenario + "' is not known: use statistics, mpc or risk");
    };
    if (mpc && inProcess) {
      throw new io.covenant.core.error.MalformedInputException("the multi-party demo needs every organisation in its own process; drop --in-process");
    }
    if (!inProcess) {
      if (!"local".equals(dataDir.blockstore) || !"embedded".equals(dataDir.ledger) || !"embedded".equals(dataDir.database().text())) {
        throw new io.covenant.core.error.CovenantException("the demo runs its processes on embedded defaults; for another --blockstore, --ledger or --db "
            + "describe the deployment in a file and start it with './covenant up FILE', or add --in-process");
      }
      var demo = new io.covenant.coordinator.demo.ProcessDemo(System.out);
      try (var running = scenario.equals("risk") ? demo.runRisk(dataDir.path(), 20_000) : demo.run(dataDir.path(), mpc)) {
        return 0;
      }
    }
    try (LocalDeployment d = dataDir.openOrCreate(DemoIdentity.prepare(dataDir, ca))) {
      new HospitalInsurerDemo(System.out).run(d);
    }
    return 0;
  }
}
