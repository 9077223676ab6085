package io.covenant.coordinator.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.Sm3ContentIdentifiers;
import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.job.Engine;
import io.covenant.ledger.LedgerEntry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo risk --suite sm}: the insurer x hospital risk model (PSI between two nodes, then logistic regression on
 * the three-party engine) runs between processes of a national-suite consortium. The output names what the engines'
 * protocols keep as their papers fix them (PSI's P-256 and SHA-256, replicated sharing's AES PRF); everything recorded
 * is national: every entry {@code sm}, and every policy, schema, computation and result identifier SM3; the model
 * opens at the insurer's node and {@code verify} passes.
 */
class NationalSuiteRiskModelRunsAcrossProcesses {
  @TempDir Path dir;

  @Test
  void psiAndTheThreePartyModelRunWithEveryIdentifierSm3() {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Path demo = dir.resolve("risk");
    try (ProcessDemo.Running running = new ProcessDemo(new PrintStream(output, true, StandardCharsets.UTF_8)).runRisk(demo, 1500, CryptoSuite.SM)) {
      String out = output.toString(StandardCharsets.UTF_8);
      assertTrue(out.contains("Demo complete"), out);
      assertTrue(out.contains("crypto suite: sm"), out);
      assertTrue(out.contains("engine protocol: " + FixedAlgorithms.EngineProtocol.PRIVATE_SET_INTERSECTION.fixes()), out);
      assertTrue(out.contains("engine protocol: " + FixedAlgorithms.EngineProtocol.REPLICATED_SHARING.fixes()), out);
      assertTrue(((Json.JObject) running.audit()).bool("ok"), out);
    }
    Path coordinator = demo.resolve("coordinator");
    try (LocalDeployment d = LocalDeployment.open(coordinator)) {
      boolean mpcResult = false;
      for (LedgerEntry e : d.ledger().entries(0, d.ledger().size())) {
        assertEquals(CryptoSuite.SM, e.suite());
        mpcResult |= e.event().event() instanceof AuditEvent.ResultCommitted r && r.engine() == Engine.MPC;
      }
      assertTrue(mpcResult, "the multi-party engine committed the model");
    }
    Sm3ContentIdentifiers.assertEveryOneIsSm3(coordinator);
    PrintStream console = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("verify", "--data-dir", coordinator.toString()));
    } finally {
      System.setOut(console);
    }
  }
}
