package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.event.EventType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunsEndToEnd {
  @TempDir Path dir;

  @Test
  void theDemoComputesVerifiesCatchesTamperingAndDeniesSinglingOut() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    HospitalInsurerDemo.Outcome o;
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      o = new HospitalInsurerDemo(new PrintStream(buf, true, StandardCharsets.UTF_8)).run(d);
      List<EventType> trail = d.ledger().entriesForJob(o.statistics().job()).stream().map(e -> e.event().event().type()).toList();
      assertEquals(EventType.JOB_SUBMITTED, trail.get(0));
      assertEquals(EventType.JOB_AUTHORIZED, trail.get(1));
      assertEquals(3, trail.stream().filter(t -> t == EventType.KEY_RELEASED).count());
      assertEquals(EventType.RESULT_COMMITTED, trail.get(trail.size() - 1));
      for (var entry : d.ledger().entriesForJob(o.statistics().job())) {
        switch (entry.event().event()) {
          case io.covenant.core.event.AuditEvent.ComputationStarted c -> assertEquals(java.util.Optional.of(true), c.simulated(), "COMPUTATION_STARTED is labelled simulated");
          case io.covenant.core.event.AuditEvent.ResultCommitted r -> assertTrue(r.simulated(), "RESULT_COMMITTED is labelled simulated");
          default -> { }
        }
      }
      List<EventType> deniedTrail = d.ledger().entriesForJob(o.denied().job()).stream().map(e -> e.event().event().type()).toList();
      assertEquals(List.of(EventType.JOB_SUBMITTED, EventType.JOB_DENIED), deniedTrail);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals(JobState.COMMITTED, o.statistics().state());
    assertFalse(o.result().rows().isEmpty());
    assertTrue(o.verified().ok());
    assertFalse(o.tampered().ok());
    assertTrue(printed.contains("\n  verified\n"), printed);
    assertTrue(printed.contains("FAILED: entry " + o.tampered().failure().orElseThrow().index() + " (RESULT_COMMITTED)"), printed);
    assertEquals(JobState.DENIED, o.denied().state());
    assertTrue(o.denied().reasons().stream().anyMatch(r -> r.contains("patient_id")), o.denied().reasons().toString());
    assertTrue(printed.contains("SIMULATED"), "simulated attestation must be labelled in the audit trail");
    assertTrue(printed.lines().anyMatch(l -> l.contains("COMPUTATION_STARTED") && l.contains("SIMULATED TEE")),
        "the start of a simulated computation is labelled in the audit trail: " + printed);
  }

  @Test
  void theDemoCanRunTwiceOnTheSameDataDirectory() {
    PrintStream console = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("demo", "--in-process", "--data-dir", dir.toString()));
      assertEquals(0, CovenantCli.execute("demo", "--in-process", "--data-dir", dir.toString()));
      assertEquals(0, CovenantCli.execute("verify", "--data-dir", dir.toString()));
      String operatorKey;
      try (LocalDeployment d = LocalDeployment.open(dir)) {
        operatorKey = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey().verifyingKey().hex();
      }
      assertEquals(0, CovenantCli.execute("verify", "--data-dir", dir.toString(), "--log-key", operatorKey));
      assertEquals(1, CovenantCli.execute("verify", "--data-dir", dir.toString(), "--log-key", "ab".repeat(32)));
      assertEquals(1, CovenantCli.execute("verify", "--export", dir.resolve("tamper-test/ledger-export-forged.jsonl").toString()));
    } finally {
      System.setOut(console);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("hospital-a/claims@2"), "the second run publishes new versions");
    assertTrue(printed.contains("FAILED: entry"), printed);
  }

  @Test
  void everyCommandHasHelpAndErrorsAreOneLine() {
    assertEquals(0, CovenantCli.execute("--help"));
    assertEquals(0, CovenantCli.execute("demo", "--help"));
    assertEquals(0, CovenantCli.execute("verify", "--help"));
    assertEquals(1, CovenantCli.execute("verify", "--data-dir", dir.resolve("nothing-here").toString()));
    assertEquals(2, CovenantCli.execute("no-such-command"));
  }
}
