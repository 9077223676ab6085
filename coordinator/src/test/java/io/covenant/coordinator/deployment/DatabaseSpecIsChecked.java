package io.covenant.coordinator.deployment;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.error.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --db is parsed strictly: no password on the command line, no unknown setting, and a data directory keeps its database. */
class DatabaseSpecIsChecked {
  @TempDir Path dir;

  @Test
  void aWellFormedSpecParses() {
    var pg = new DatabaseSpec("postgresql://db.example:6543/covenant?user=coord&password-file=/run/secrets/pg&sslmode=verify-full").postgres().orElseThrow();
    assertEquals("db.example", pg.host());
    assertEquals(6543, pg.port());
    assertEquals("covenant", pg.database());
    assertEquals("coord", pg.user());
    assertEquals(Optional.of(Path.of("/run/secrets/pg")), pg.passwordFile());
    assertEquals(Optional.of("verify-full"), pg.sslMode());
    assertEquals(5432, new DatabaseSpec("postgresql://localhost/covenant?user=u").postgres().orElseThrow().port());
    assertTrue(DatabaseSpec.EMBEDDED.embedded());
  }

  @Test
  void aPasswordOnTheCommandLineIsRefusedWithoutEchoingIt() {
    var inQuery = assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://h/db?user=u&password=hunter2"));
    assertFalse(inQuery.getMessage().contains("hunter2"), inQuery.getMessage());
    assertTrue(inQuery.getMessage().contains("password-file"), inQuery.getMessage());
    var inUserInfo = assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://u:hunter2@h/db?user=u"));
    assertFalse(inUserInfo.getMessage().contains("hunter2"), inUserInfo.getMessage());
  }

  @Test
  void typosAndMissingPartsAreNamed() {
    assertTrue(assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://h/db?user=u&sslmod=require"))
        .getMessage().contains("unknown setting 'sslmod'"));
    assertTrue(assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://h/db"))
        .getMessage().contains("?user=NAME"));
    assertTrue(assertThrows(MalformedInputException.class, () -> new DatabaseSpec("jdbc:postgresql://h/db?user=u"))
        .getMessage().contains("without the 'jdbc:' prefix"));
    assertTrue(assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgres://h/db?user=u"))
        .getMessage().contains("is not known"));
    assertTrue(assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://h/db?user=u&sslmode=always"))
        .getMessage().contains("sslmode"));
    assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://h/?user=u"));
  }

  @Test
  void aDataDirectoryKeepsItsDatabase() throws Exception {
    DatabaseSpec pg = new DatabaseSpec("postgresql://127.0.0.1:5432/covenant?user=coord");
    pg.recordIn(dir);
    assertEquals(pg, DatabaseSpec.forDataDir(dir, Optional.empty()), "a command without --db uses the recorded database");
    pg.checkAgainst(dir);
    new DatabaseSpec("postgresql://127.0.0.1:5432/covenant?user=other&password-file=/x").checkAgainst(dir);
    var other = assertThrows(MalformedInputException.class, () -> new DatabaseSpec("postgresql://127.0.0.1:5432/elsewhere?user=coord").checkAgainst(dir));
    assertTrue(other.getMessage().contains("keeps its coordinator database in postgresql://127.0.0.1:5432/covenant"), other.getMessage());
    assertThrows(MalformedInputException.class, () -> DatabaseSpec.EMBEDDED.checkAgainst(dir));

    Path embedded = dir.resolve("embedded");
    Files.createDirectories(embedded.resolve("coordinator"));
    Files.writeString(embedded.resolve("coordinator").resolve("coordinator.mv.db"), "");
    var moving = assertThrows(MalformedInputException.class, () -> pg.checkAgainst(embedded));
    assertTrue(moving.getMessage().contains("cannot move"), moving.getMessage());
    assertEquals(DatabaseSpec.EMBEDDED, DatabaseSpec.forDataDir(embedded, Optional.empty()));
  }
}
