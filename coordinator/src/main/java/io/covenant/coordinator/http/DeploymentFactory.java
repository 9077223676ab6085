package io.covenant.coordinator.http;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Opens the deployment the API serves, from {@code covenant.data-dir}, {@code covenant.blockstore}, {@code covenant.ledger} and {@code covenant.db}. */
@Factory
final class DeploymentFactory {
  @Singleton
  @Bean(preDestroy = "close")
  LocalDeployment deployment(
      @Value("${covenant.data-dir:./covenant-data}") String dataDir, @Value("${covenant.blockstore:local}") String blockstore,
      @Value("${covenant.ledger:embedded}") String ledger, @Value("${covenant.db:embedded}") String db) {
    return LocalDeployment.open(Path.of(dataDir), new io.covenant.coordinator.deployment.BlockstoreSpec(blockstore),
        new io.covenant.coordinator.deployment.LedgerSpec(ledger), new io.covenant.coordinator.deployment.DatabaseSpec(db));
  }
}
