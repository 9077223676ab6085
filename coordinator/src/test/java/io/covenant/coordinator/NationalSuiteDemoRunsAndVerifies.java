package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.Consortium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --suite sm} runs the whole scenario under the national suite and verifies: the consortium's root and
 * every organisation's key are SM2, every ledger entry and checkpoint records {@code sm}, the blocks are addressed by
 * sm3-256 CIDs, and {@code verify} passes; a second run with the other suite on the same directory is refused.
 */
class NationalSuiteDemoRunsAndVerifies {
  @TempDir Path dir;

  @Test
  void theWholeDemoRunsAndVerifiesUnderSm2Sm3Sm4() throws Exception {
    PrintStream console = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("demo", "--suite", "sm", "--in-process", "--data-dir", dir.toString()));
      assertEquals(0, CovenantCli.execute("verify", "--data-dir", dir.toString()));
      assertNotEquals(0, CovenantCli.execute("demo", "--suite", "intl", "--in-process", "--data-dir", dir.toString()), "a consortium's suite is fixed");
      assertNotEquals(0, CovenantCli.execute("demo", "--suite", "gm", "--in-process", "--data-dir", dir.resolve("typo").toString()));
      var he = CovenantCli.executeCaptured("demo", "--suite", "sm", "he", "--data-dir", dir.resolve("he").toString());
      assertNotEquals(0, he.exit(), "not silently international");
      assertTrue(he.err().contains("'demo he' runs on the international crypto suite only"), he.err());
      assertNotEquals(0, CovenantCli.execute("demo", "he", "--suite", "sm", "--data-dir", dir.resolve("he").toString()), "nor with --suite after the scenario");
    } finally {
      System.setOut(console);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertTrue(printed.contains("crypto suite: sm"), printed);
    assertTrue(printed.contains("\n  verified\n"), printed);
    assertTrue(!Files.exists(dir.resolve("typo")), "a typo in --suite creates nothing");
    assertTrue(!Files.exists(dir.resolve("he")), "a refused scenario creates nothing");
    assertEquals(CryptoSuite.SM, Consortium.read(dir.resolve(LocalDeployment.CONSORTIUM_FILE)).suite());
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      assertEquals(CryptoSuite.SM, d.suite());
      assertEquals(CryptoSuite.SM, d.ledger().checkpoint().suite());
      for (LedgerEntry e : d.ledger().entries(0, d.ledger().size())) assertEquals(CryptoSuite.SM, e.suite());
    }
    try (Stream<Path> blocks = Files.walk(dir.resolve("blocks"))) {
      var cids = blocks.filter(Files::isRegularFile).map(p -> Cid.parse(p.getFileName().toString())).toList();
      assertTrue(!cids.isEmpty());
      for (Cid c : cids) assertEquals(Cid.SM3_256, c.multihashCode(), c.toString());
    }
  }
}
