package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir}, {@code --blockstore}, {@code --ledger} and {@code --db} every command takes. */
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
      description = "Where blocks live: local (the default), ipfs=URL (a Kubo RPC address such as http://127.0.0.1:5001), or replicated=local,ipfs=URL.")
  String blockstore;

  @Option(
      names = "--ledger",
      paramLabel = "SPEC",
      defaultValue = "embedded",
      description = "Which ledger to keep: embedded (default), or anchored=URL,contract=0x...,key-file=FILE[,every=N] to also anchor its "
          + "checkpoints on the audit contract of an EVM node (see docs/ledger.md).")
  String ledger;

  @Option(
      names = "--db",
      paramLabel = "SPEC",
      description = "The coordinator's database: embedded (H2 in the data directory, the default for a new one) or "
          + "postgresql://HOST:PORT/DB?user=USER, optionally with &password-file=FILE and &sslmode=MODE; the password is in that "
          + "file or in COVENANT_DB_PASSWORD, never on the command line. The data directory remembers it, so later commands may "
          + "leave it out (see docs/operations.md).")
  String db;

  /** The coordinator database of this command: --db, or the one the data directory records. */
  DatabaseSpec database() {
    return DatabaseSpec.forDataDir(dataDir, java.util.Optional.ofNullable(db));
  }

  public Path path() {
    return dataDir;
  }

  /**
   * The crypto suite of the consortium this data directory belongs to, read from its {@code consortium.json} without
   * opening the deployment (the international suite when there is none): what a policy's hash is shown under.
   */
  public io.covenant.core.crypto.CryptoSuite suite() {
    Path file = dataDir.resolve(LocalDeployment.CONSORTIUM_FILE);
    return java.nio.file.Files.exists(file) ? io.covenant.ledger.verify.Consortium.read(file).suite() : io.covenant.core.crypto.CryptoSuite.INTL;
  }

  /**
   * Opens the existing deployment this command works on (the one a running server holds, when the command was
   * forwarded to it); a data directory that does not exist is an error naming it, never a new empty deployment.
   */
  public LocalDeployment open() {
    return CliDaemon.servedDeployment(this).orElseGet(() -> LocalDeployment.openExisting(dataDir, new BlockstoreSpec(blockstore), new LedgerSpec(ledger), database()));
  }

  /** Opens the deployment, creating the data directory if it is new: only for commands that create (org create, demo). */
  public LocalDeployment openOrCreate() {
    return openOrCreate(java.util.Optional.empty());
  }

  /** As {@link #openOrCreate()}, with the consortium's CA unlocked for enrolling organisations where a root is pinned. */
  public LocalDeployment openOrCreate(java.util.Optional<io.covenant.core.identity.CertificateAuthority> authority) {
    return CliDaemon.servedDeployment(this)
        .orElseGet(() -> LocalDeployment.open(dataDir, new BlockstoreSpec(blockstore), new LedgerSpec(ledger), database(), authority));
  }
}
