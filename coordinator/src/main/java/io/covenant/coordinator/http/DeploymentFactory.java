package io.covenant.coordinator.http;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * Opens the deployment the API serves: {@code covenant.data-dir}, {@code covenant.blockstore} and {@code covenant.ledger}
 * (the CLI's {@code --data-dir}, {@code --blockstore} and {@code --ledger}). Like every command that reads, it refuses a
 * data directory that does not exist rather than serving a new empty one.
 */
@Factory
final class DeploymentFactory {
  @Singleton
  @Bean(preDestroy = "close")
  LocalDeployment deployment(
      @Value("${covenant.data-dir:./covenant-data}") String dataDir,
      @Value("${covenant.blockstore:local}") String blockstore,
      @Value("${covenant.ledger:embedded}") String ledger) {
    return LocalDeployment.openExisting(Path.of(dataDir), new BlockstoreSpec(blockstore), new LedgerSpec(ledger));
  }
}
