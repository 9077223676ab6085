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

  public Path path() {
    return dataDir;
  }
}
