package io.covenant.coordinator.http;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Opens the deployment the API serves: {@code covenant.data-dir}, {@code covenant.blockstore}, {@code covenant.ledger}
 * and {@code covenant.db} (the CLI's {@code --data-dir}, {@code --blockstore}, {@code --ledger} and {@code --db}). Like
 * every command that reads, it refuses a data directory that does not exist rather than serving a new empty one.
 */
@Factory
final class DeploymentFactory {
  @Singleton
  @Bean(preDestroy = "close")
  LocalDeployment deployment(
      @Value("${covenant.data-dir:./covenant-data}") String dataDir,
      @Value("${covenant.blockstore:local}") String blockstore,
      @Value("${covenant.ledger:embedded}") String ledger,
      @Value("${covenant.db:embedded}") String db,
      @Value("${covenant.topology:}") String topology) {
    if (!topology.isEmpty()) {
      return LocalDeployment.openWithProcesses(Path.of(dataDir), new BlockstoreSpec(blockstore), new LedgerSpec(ledger), new DatabaseSpec(db),
          io.covenant.coordinator.deployment.ProcessTopology.read(Path.of(topology)));
    }
    return LocalDeployment.openExisting(Path.of(dataDir), new BlockstoreSpec(blockstore), new LedgerSpec(ledger), new DatabaseSpec(db));
  }
}
