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
      "With --suite sm the consortium runs on the Chinese national standards (SM2 signatures and certificates, SM3, SM4-GCM)",
      "for everything it signs, hashes, stores and seals; the processes' mutual TLS then uses international primitives with",
      "SM2-certified transport keys, because no TLS stack available to Covenant offers RFC 8998 (the output says so).",
      "'demo mpc', 'demo risk' and 'demo fl' take --suite sm too (their engines' protocols keep what their papers fix, and",
      "the output names it); 'demo he' and 'demo vehicles' run on the international suite only and refuse it.",
      "",
      "The other scenarios are its commands: 'demo mpc' (the same query also on the multi-party engine), 'demo risk' (the",
      "insurer x hospital risk model: PSI, then logistic regression in MPC), 'demo fl' (the federated readmission model with",
      "secure aggregation and DP), 'demo he' (private scoring and encrypted sums on homomorphic encryption) and 'demo vehicles'",
      "(vehicle OBD licensing)."
    },
    subcommands = {MpcDemoCommand.class, RiskDemoCommand.class, FlDemoCommand.class, HeDemoCommand.class, VehiclesDemoCommand.class})
final class DemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @Mixin CaOption ca;
  @Mixin SuiteOption suite;

  @picocli.CommandLine.Option(names = "--in-process",
      description = "Run every component in this one JVM instead (the embedded deployment: one data directory holding every keystore, "
          + "with the organisations as witnesses of the log), as Covenant did before organisation nodes existed.")
  boolean inProcess;

  @Override
  public Integer call() {
    var chosen = suite.suite();
    if (!inProcess) {
      requireEmbeddedDefaults(dataDir, "or add --in-process");
      try (var running = new io.covenant.coordinator.demo.ProcessDemo(System.out).run(dataDir.path(), false, chosen)) {
        return 0;
      }
    }
    try (LocalDeployment d = dataDir.openOrCreate(DemoIdentity.prepare(dataDir, ca, chosen))) {
      new HospitalInsurerDemo(System.out).run(d);
    }
    return 0;
  }

  /**
   * The suite a scenario runs on: its own {@code --suite} ('demo mpc --suite sm') or the one given before its name
   * ('demo --suite sm mpc'), which picocli would otherwise ignore silently; two different ones are refused.
   */
  static io.covenant.core.crypto.CryptoSuite suiteOf(DemoCommand parent, SuiteOption own) {
    SuiteOption before = parent == null ? null : parent.suite;
    if (own == null) own = new SuiteOption();
    if (own.given() && before != null && before.given() && own.suite() != before.suite()) {
      throw new io.covenant.core.error.MalformedInputException("--suite " + before.suite().id() + " before the scenario and --suite " + own.suite().id()
          + " after it disagree; give one");
    }
    return own.given() || before == null ? own.suite() : before.suite();
  }

  /**
   * A scenario that runs on the international suite only refuses '--suite sm' (its own or the one given before its
   * name) before anything is created, saying {@code why}.
   */
  static void requireInternationalSuite(String scenario, String why, DemoCommand parent, SuiteOption own) {
    if (suiteOf(parent, own).isNational()) {
      throw new io.covenant.core.error.CovenantException("'" + scenario + "' runs on the international crypto suite only: " + why
          + " (see docs/crypto-suite.md). Under --suite sm run 'demo', 'demo mpc', 'demo risk' or 'demo fl'");
    }
  }

  /** Why the homomorphic-encryption engine stays international. */
  static final String HE_DIGESTS = "the homomorphic-encryption engine's object digests (key ids, the model digest inside the scores, the input "
      + "digests inside a total) are bound into its own messages as SHA-256, which a national ledger must not record";

  /** The demos that start one process per organisation run them on embedded defaults; any other store needs a deployment file. */
  static void requireEmbeddedDefaults(DataDirOption dataDir, String orElse) {
    if (!"local".equals(dataDir.blockstore) || !"embedded".equals(dataDir.ledger) || !"embedded".equals(dataDir.database().text())) {
      throw new io.covenant.core.error.CovenantException("the demo runs its processes on embedded defaults; for another --blockstore, --ledger or --db "
          + "describe the deployment in a file and start it with './covenant up FILE'" + (orElse.isEmpty() ? "" : ", " + orElse));
    }
  }
}
