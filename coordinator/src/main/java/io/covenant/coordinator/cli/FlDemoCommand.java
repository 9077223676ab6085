package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.FederatedDemo;
import io.covenant.core.error.MalformedInputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "fl",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the federated readmission model with every organisation in its own process: three hospitals with different",
      "case mixes (non-IID) publish their patients from their own nodes, and insurer-x trains one logistic regression on",
      "the fl engine. Each hospital's node decrypts and trains on its own rows only and sends updates masked by secure",
      "aggregation (Bonawitz et al. 2017); the coordinator learns only their sum and records every round on the log. The job",
      "runs twice: with secure aggregation alone, then as DP-FedAvg under policies with a privacy budget, where hospital-c's",
      "node stops contributing when its budget would be exceeded. Rounds are printed live, then each round's test loss and",
      "AUC, federated against pooled training, the job's trail and the verified log.",
      "",
      "With --suite sm the ledger, identities, shards, key sealing and content identifiers (model digests included) are",
      "national; secure aggregation keeps X25519, AES-GCM and AES-CTR, as its paper fixes them (the output says so)."
    })
final class FlDemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @picocli.CommandLine.ParentCommand DemoCommand demo;
  @Mixin SuiteOption suite;

  @Option(names = "--rows", defaultValue = "2500",
      description = "Patients per hospital, of which 80 %% train and 20 %% are held out for the test AUC (default: ${DEFAULT-VALUE}).")
  int rows;

  @Override
  public Integer call() {
    if (rows < 200 || rows > 1_000_000) throw new MalformedInputException("--rows must be 200 to 1,000,000, not " + rows);
    var chosen = DemoCommand.suiteOf(demo, suite);
    DemoCommand.requireEmbeddedDefaults(dataDir, "");
    try (var outcome = new FederatedDemo(System.out).run(dataDir.path(), rows, chosen)) {
      return 0;
    }
  }
}
