package io.covenant.coordinator.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} every command takes. */
public final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./covenant-data",
      description = "Where the ledger, blocks, coordinator database and organisations' keystores live (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(
      names = "--blockstore",
      paramLabel = "SPEC",
      defaultValue = "local",
      description = "Where blocks live: local (default), ipfs=http://127.0.0.1:5001, or replicated=local,ipfs=URL[,...].")
  String blockstore;

  @Option(
      names = "--ledger",
      paramLabel = "SPEC",
      defaultValue = "embedded",
      description = "Which ledger to keep: embedded (default), or anchored=URL,contract=0x...,key-file=FILE[,every=N] to also anchor its "
          + "checkpoints on the audit contract of an EVM node (see docs/ledger.md).")
  String ledger;

  public Path path() {
    return dataDir;
  }

  /** Opens the deployment this command works on. */
  public io.covenant.coordinator.deployment.LocalDeployment open() {
    return CliDaemon.servedDeployment(this).orElseGet(() -> io.covenant.coordinator.deployment.LocalDeployment.open(
        dataDir, new io.covenant.coordinator.deployment.BlockstoreSpec(blockstore), new io.covenant.coordinator.deployment.LedgerSpec(ledger)));
  }
}
