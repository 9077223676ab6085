package io.covenant.coordinator.catalogue;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database gets each migration once; reopening it changes nothing, and a database from before numbering opens. */
class MigrationsRunOnce {
  @TempDir Path dir;

  @Test
  void secondOpenIsANoOp() {
    try (CoordinatorStore s = CoordinatorStore.open(dir)) {
      assertEquals(List.of(1, 2, 3, 4, 5), s.migrationsAppliedOnOpen());
      assertEquals(5, s.schemaVersion());
    }
    try (CoordinatorStore s = CoordinatorStore.open(dir)) {
      assertEquals(List.of(), s.migrationsAppliedOnOpen());
      assertEquals(5, s.schemaVersion());
    }
  }

  @Test
  void aDatabaseFromBeforeNumberingOpensWithItsRows() throws Exception {
    // What the coordinator created before migrations were numbered: the first tables, no schema_migrations.
    String url = "jdbc:h2:" + dir.toAbsolutePath().resolve("coordinator") + ";DB_CLOSE_ON_EXIT=FALSE";
    try (var c = DriverManager.getConnection(url, "covenant", ""); var st = c.createStatement()) {
      for (String sql : CoordinatorStore.migrations(CoordinatorStore.Dialect.H2).get(0).statements()) st.execute(sql);
      st.execute("INSERT INTO jobs VALUES ('j1', '{}', 'DENIED', '[]', NULL, NULL, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
    }
    try (CoordinatorStore s = CoordinatorStore.open(dir)) {
      assertEquals(List.of(1, 2, 3, 4, 5), s.migrationsAppliedOnOpen());
    }
    try (var c = DriverManager.getConnection(url, "covenant", ""); var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM jobs")) {
      rs.next();
      assertEquals(1, rs.getInt(1));
    }
  }
}
