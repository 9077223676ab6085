package io.covenant.coordinator.catalogue;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A PostgreSQL server that is not there: the error names host and port and what to check, and nothing is created. */
class UnreachableDatabaseIsNamed {
  @TempDir Path dir;

  @Test
  void nothingListeningIsNamedAndLeavesNoDataDirectory() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var target = new PostgresDatabase("127.0.0.1", port, "covenant", "covenant", Optional.empty(), Optional.empty());
    DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class, () -> CoordinatorStore.open(target));
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("accepts TCP connections"), e.getMessage());

    Path fresh = dir.resolve("new-deployment");
    DatabaseSpec spec = new DatabaseSpec("postgresql://127.0.0.1:" + port + "/covenant?user=covenant");
    var refused = assertThrows(DatabaseUnavailableException.class,
        () -> LocalDeployment.open(fresh, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, spec).close());
    assertTrue(refused.getMessage().contains("127.0.0.1:" + port), refused.getMessage());
    assertFalse(Files.exists(fresh), "a deployment whose database cannot be reached must not be half-created");
  }
}
