package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.ProcessDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    name = "mpc",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the hospital -> insurer statistics scenario with every organisation in its own process, as 'demo' does, and then",
      "the same query on the multi-party engine: the three hospitals' nodes check the job against their own copies of the",
      "ledger, decrypt their own claims, secret-share their per-group counts and sums into a three-party computation over",
      "mutual TLS, and seal their shares to the insurer, whose node reconstructs the table. Both tables are printed with how",
      "far they differ (each route adds its own noise under the hospitals' privacy budget), then the multi-party job's trail.",
      "",
      "With --suite sm the ledger, identities, shards, key sealing and content identifiers are national; the three-party",
      "protocol keeps AES-256-CTR as its sharing PRF, as its paper fixes it (the output says so)."
    })
final class MpcDemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @picocli.CommandLine.ParentCommand DemoCommand demo;
  @Mixin SuiteOption suite;

  @picocli.CommandLine.Option(names = "--malicious", description = {"Then also runs a global count and mean of the claims in the malicious-secure mode",
      "(SPDZ with MASCOT preprocessing among the hospitals' nodes and the insurer's), which takes a few minutes more."})
  boolean malicious;

  @Override
  public Integer call() {
    var chosen = DemoCommand.suiteOf(demo, suite);
    DemoCommand.requireEmbeddedDefaults(dataDir, "");
    try (var running = new ProcessDemo(System.out).run(dataDir.path(), true, chosen)) {
      if (malicious && chosen.isNational()) {
        System.out.println("engine protocol: " + io.covenant.core.crypto.FixedAlgorithms.EngineProtocol.MALICIOUS_SPDZ.fixes()
            + "; the ledger, identities, storage, key sealing and content identifiers stay national");
      }
      if (malicious) new io.covenant.coordinator.demo.MaliciousMpcDemo(System.out).run(running);
      return 0;
    }
  }
}
