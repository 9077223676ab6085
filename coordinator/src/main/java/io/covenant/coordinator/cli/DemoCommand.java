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
      "Runs the hospital -> insurer statistics scenario end to end on embedded defaults.",
      "Three hospitals publish encrypted claims and policies, an insurer's aggregate query runs in the TEE worker",
      "(simulated attestation, labelled as such), the insurer opens the result, the ledger is verified and shown to",
      "catch tampering, and a query that singles out patients is denied. Running it again adds new dataset versions;",
      "it creates the data directory and its organisations if they are new. On a new data directory it first sets up a",
      "consortium CA (its key file beside it) and enrols every organisation with a certificate."
    })
final class DemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @Mixin CaOption ca;

  @picocli.CommandLine.Option(names = "--processes",
      description = "Run every organisation in a process of its own on loopback (coordinator, TEE worker, three hospital nodes, the "
          + "insurer's node), speaking mutual TLS; the processes stop when the demo ends.")
  boolean processes;

  @Override
  public Integer call() {
    if (processes) {
      try (var running = new io.covenant.coordinator.demo.ProcessDemo(System.out).run(dataDir.path())) {
        return 0;
      }
    }
    try (LocalDeployment d = dataDir.openOrCreate(DemoIdentity.prepare(dataDir, ca))) {
      new HospitalInsurerDemo(System.out).run(d);
    }
    return 0;
  }
}
