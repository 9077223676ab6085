package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.catalogue.PostgresServer;
import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.deployment.DatabaseSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo from the command line with {@code --db postgresql://...}: it runs as on H2, the data directory remembers
 * the database so later commands leave {@code --db} out, and the catalogue and jobs are in PostgreSQL, not in an
 * embedded file.
 */
@Tag("postgresql")
class DemoRunsOnPostgresql {
  @TempDir Path dir;

  @Test
  void demoTwiceThenJobListWithoutDbUseThePostgresqlDatabase() throws Exception {
    PostgresServer server = PostgresServer.get();
    var db = server.freshDatabase();
    String spec = PostgresServer.spec(db).text();
    PrintStream console = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("demo", "--in-process", "--data-dir", dir.toString(), "--db", spec));
      assertEquals(0, CovenantCli.execute("demo", "--in-process", "--data-dir", dir.toString()));
      buf.reset();
      assertEquals(0, CovenantCli.execute("job", "list", "--data-dir", dir.toString()));
    } finally {
      System.setOut(console);
    }
    String jobs = buf.toString(StandardCharsets.UTF_8);
    assertTrue(jobs.contains("COMMITTED") && jobs.contains("DENIED"), jobs);
    assertEquals(spec, DatabaseSpec.forDataDir(dir, java.util.Optional.empty()).text());
    assertFalse(Files.exists(dir.resolve("coordinator").resolve("coordinator.mv.db")), "no embedded database beside the PostgreSQL one");
    try (var c = server.connect(db); var st = c.createStatement();
        var rs = st.executeQuery("SELECT COUNT(*), COUNT(*) FILTER (WHERE state = 'COMMITTED') FROM jobs")) {
      rs.next();
      assertTrue(rs.getInt(2) >= 2, "both demo runs committed their job in PostgreSQL: " + rs.getInt(2));
    }
  }
}
