package io.covenant.coordinator.http;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Opens the deployment the API serves, from {@code covenant.data-dir}. */
@Factory
final class DeploymentFactory {
  @Singleton
  @Bean(preDestroy = "close")
  LocalDeployment deployment(
      @Value("${covenant.data-dir:./covenant-data}") String dataDir, @Value("${covenant.blockstore:local}") String blockstore) {
    return LocalDeployment.open(Path.of(dataDir), new io.covenant.coordinator.deployment.BlockstoreSpec(blockstore));
  }
}
