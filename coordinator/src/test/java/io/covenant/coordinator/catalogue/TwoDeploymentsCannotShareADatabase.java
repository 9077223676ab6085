package io.covenant.coordinator.catalogue;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.error.CovenantException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second deployment pointed at a database that already holds another deployment's catalogue, jobs and usage counts
 * (a reused database name on a shared server) is refused before it creates anything; the first still opens.
 */
@Tag("postgresql")
class TwoDeploymentsCannotShareADatabase {
  @TempDir Path dir;

  @Test
  void aSecondDeploymentOnTheSameDatabaseIsRefused() {
    var db = PostgresServer.get().freshDatabase();
    var spec = PostgresServer.spec(db);
    Path first = dir.resolve("first");
    try (var d = LocalDeployment.open(first, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, spec)) {
      assertTrue(d.store().deploymentKey().isPresent());
    }
    Path second = dir.resolve("second");
    CovenantException e = assertThrows(CovenantException.class,
        () -> LocalDeployment.open(second, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, spec).close());
    assertTrue(e.getMessage().contains("already belongs to another deployment"), e.getMessage());
    assertFalse(Files.exists(second), "the refused deployment must not be half-created");
    try (var d = LocalDeployment.open(first, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, spec)) {
      assertTrue(d.store().migrationsAppliedOnOpen().isEmpty());
    }
  }
}
