package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.Sensitivity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandsWorkOnCsv {
  @TempDir Path dir;

  private CliRun cli(String... args) {
    return CliRun.of(dir.resolve("data"), args);
  }

  @org.junit.jupiter.api.BeforeEach
  void organisations() {
    assertEquals(0, cli("org", "create", "carmaker-v", "--role", "owner").exit());
    assertEquals(0, cli("org", "create", "hospital-a", "--role", "owner").exit());
    assertEquals(0, cli("org", "create", "insurer-x", "--role", "consumer").exit());
  }

  @Test
  void publishListInspectVerifyAndExportForTheOwnerOnly() throws IOException {
    Path csv = Files.writeString(dir.resolve("obd.csv"), "vin,driver_age,km,harsh_brakes\nWVW123,34,1520.5,3\nWVW124,51,820.0,0\nWVW125,29,2210.25,7\n");
    CliRun published = cli("dataset", "publish", csv.toString(), "--owner", "carmaker-v", "--sensitivity", "vin=identifier",
        "--sensitivity", "driver_age=quasi-identifier", "--type", "harsh_brakes=float64");
    assertEquals(0, published.exit(), published.err());
    assertTrue(published.out().contains("carmaker-v/obd@1"), published.out());
    try (LocalDeployment d = LocalDeployment.open(dir.resolve("data"))) {
      var schema = d.store().dataset(DatasetVersion.parse("carmaker-v/obd@1")).orElseThrow().schema();
      assertEquals(Sensitivity.IDENTIFIER, schema.column("vin").orElseThrow().sensitivity());
      assertEquals(Sensitivity.QUASI_IDENTIFIER, schema.column("driver_age").orElseThrow().sensitivity());
      assertEquals(Sensitivity.SENSITIVE, schema.column("km").orElseThrow().sensitivity());
    }

    CliRun list = cli("dataset", "list");
    assertTrue(list.out().contains("carmaker-v/obd@1"));
    CliRun inspect = cli("dataset", "inspect", "carmaker-v/obd");
    assertEquals(0, inspect.exit(), inspect.err());
    assertTrue(inspect.out().contains("identifier") && inspect.out().contains("bafkrei"), inspect.out());
    assertFalse(inspect.out().contains("WVW123"), "inspect never shows values");
    assertEquals(0, cli("dataset", "verify", "carmaker-v/obd@1").exit());

    CliRun refused = cli("dataset", "export", "carmaker-v/obd", "--owner", "insurer-x", "--out", dir.resolve("x.csv").toString());
    assertEquals(1, refused.exit());
    assertTrue(refused.err().contains("only carmaker-v may export"), refused.err());
    assertFalse(Files.exists(dir.resolve("x.csv")));

    CliRun exported = cli("dataset", "export", "carmaker-v/obd", "--owner", "carmaker-v", "--out", dir.resolve("x.csv").toString());
    assertEquals(0, exported.exit(), exported.err());
    assertTrue(Files.readString(dir.resolve("x.csv")).contains("WVW125,29,2210.25,7"));

    // A deleted shard is named by verify, which then exits 1.
    try (Stream<Path> blocks = Files.walk(dir.resolve("data/blocks"))) {
      for (Path p : blocks.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith("bafkrei")).toList()) Files.delete(p);
    }
    CliRun broken = cli("dataset", "verify", "carmaker-v/obd@1");
    assertEquals(1, broken.exit());
    assertTrue(broken.out().contains("BAD"), broken.out());
    assertTrue(broken.out().lines().anyMatch(l -> l.startsWith("shard 0 (bafkrei") && l.length() > 80 && !l.contains("…")),
        "the per-shard reason is printed whole, not cut to a table cell: " + broken.out());
  }

  @Test
  void aParquetFilePublishesToo() throws Exception {
    Path parquet = dir.resolve("trips.parquet");
    try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var st = c.createStatement()) {
      st.execute("COPY (SELECT range AS trip, range * 1.5 AS km FROM range(500)) TO '" + parquet + "' (FORMAT PARQUET)");
    }
    CliRun r = cli("dataset", "publish", parquet.toString(), "--owner", "carmaker-v", "--sensitivity", "trip=identifier");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("carmaker-v/trips@1") && r.out().contains("500"), r.out());
  }

  @Test
  void aMalformedCsvNamesTheLineAndRegistersNothing() throws IOException {
    Path good = Files.writeString(dir.resolve("a.csv"), "x,y\n1,2\n");
    assertEquals(0, cli("dataset", "publish", good.toString(), "--owner", "hospital-a").exit());
    long ledgerBefore;
    try (LocalDeployment d = LocalDeployment.open(dir.resolve("data"))) {
      ledgerBefore = d.ledger().size();
    }
    Path bad = Files.writeString(dir.resolve("b.csv"), "x,y\n1,2\n3\n4,5\n");
    CliRun r = cli("dataset", "publish", bad.toString(), "--owner", "hospital-a");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("line 3"), r.err());
    try (LocalDeployment d = LocalDeployment.open(dir.resolve("data"))) {
      assertEquals(ledgerBefore, d.ledger().size(), "nothing was recorded");
      assertTrue(d.store().dataset(DatasetVersion.parse("hospital-a/b@1")).isEmpty(), "nothing was registered");
    }
    CliRun missing = cli("dataset", "publish", dir.resolve("nope.csv").toString(), "--owner", "hospital-a");
    assertEquals(1, missing.exit());
    assertTrue(missing.err().contains("no file at"), missing.err());
  }
}
