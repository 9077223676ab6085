package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.core.error.MalformedInputException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "risk",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the insurer x hospital risk model with every organisation in its own process: hospital-a publishes its",
      "patients' standardised clinical features and insurer-x its policyholders' claims of last year, keyed by the same",
      "pseudonym. The insurer submits a vertical logistic regression on the multi-party engine; the two nodes intersect their",
      "ids by PSI (KKRT16) over their mutual-TLS link and train on secret shares with hospital-b's node as the third party.",
      "Only the model leaves, sealed to the insurer; it is printed beside the same model trained in the clear on the pooled",
      "rows, then the job's trail and the verified log.",
      "",
      "With --suite sm the ledger, identities, shards, key sealing and content identifiers are national; PSI keeps P-256,",
      "SHA-256 and AES-128 and the three-party protocol AES-256-CTR, as their papers fix them (the output says so)."
    })
final class RiskDemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @picocli.CommandLine.ParentCommand DemoCommand demo;
  @Mixin SuiteOption suite;

  @Option(names = "--population", defaultValue = "20000",
      description = "People in the synthetic population; about 70 %% are the hospital's patients and 60 %% the insurer's policyholders "
          + "(default: ${DEFAULT-VALUE}).")
  int population;

  @Override
  public Integer call() {
    var chosen = DemoCommand.suiteOf(demo, suite);
    if (population < 100 || population > 5_000_000) throw new MalformedInputException("--population must be 100 to 5,000,000, not " + population);
    DemoCommand.requireEmbeddedDefaults(dataDir, "");
    try (var running = new ProcessDemo(System.out).runRisk(dataDir.path(), population, chosen)) {
      return 0;
    }
  }
}
