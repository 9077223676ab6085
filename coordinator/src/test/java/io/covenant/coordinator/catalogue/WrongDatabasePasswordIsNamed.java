package io.covenant.coordinator.catalogue;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A wrong password: refused with the server's host and port and what to check; nothing created, in the data directory or the database. */
@Tag("postgresql")
class WrongDatabasePasswordIsNamed {
  @TempDir Path dir;

  @Test
  void wrongPasswordIsNamedAndLeavesNothingBehind() throws Exception {
    PostgresServer server = PostgresServer.get();
    PostgresDatabase good = server.freshDatabase();
    Path wrongFile = dir.resolve("wrong-password");
    Files.writeString(wrongFile, "not-the-password\n");
    var wrong = new PostgresDatabase(good.host(), good.port(), good.database(), good.user(), Optional.of(wrongFile), Optional.empty());

    DatabaseUnavailableException e = assertThrows(DatabaseUnavailableException.class, () -> CoordinatorStore.open(wrong));
    assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
    assertTrue(e.getMessage().contains("password"), e.getMessage());
    assertFalse(e.getMessage().contains("not-the-password"), "the password must never appear in a message");

    Path fresh = dir.resolve("new-deployment");
    assertThrows(DatabaseUnavailableException.class,
        () -> LocalDeployment.open(fresh, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, PostgresServer.spec(wrong)).close());
    assertFalse(Files.exists(fresh), "a deployment whose database refused the login must not be half-created");
    try (var c = server.connect(good); var rs = c.getMetaData().getTables(null, null, "schema_migrations", null)) {
      assertFalse(rs.next(), "the refused login must not have created any table");
    }
  }
}
