package io.covenant.coordinator.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.Consortium;
import io.covenant.node.keystore.OrgKeystore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process demo under the national suite ({@code ./covenant demo --suite sm}): coordinator, TEE worker, three
 * hospital nodes and the insurer's node, each a process, speak mutual TLS with SM2-certified transport keys (the
 * output says the transport's own primitives are international, and why), and everything on the ledger and in storage
 * is SM: SM2 keys and certificates for every organisation, every entry and checkpoint {@code sm}, sm3-256 CIDs, and
 * {@code verify} passes.
 */
class NationalSuiteDemoRunsAcrossProcesses {
  @TempDir Path dir;

  @Test
  void theScenarioRunsBetweenProcessesAndEverythingRecordedIsSm() throws Exception {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Path demo = dir.resolve("demo");
    try (ProcessDemo.Running running = new ProcessDemo(new PrintStream(output, true, StandardCharsets.UTF_8)).run(demo, false, CryptoSuite.SM)) {
      String out = output.toString(StandardCharsets.UTF_8);
      assertTrue(out.contains("Demo complete"), out);
      assertTrue(out.contains("crypto suite: sm"), out);
      assertTrue(out.contains("transport between the processes: TLS 1.3 with international primitives") && out.contains("RFC 8998"), out);
      assertTrue(((Json.JObject) running.result()).number("rows") > 10, out);
      assertTrue(((Json.JObject) running.audit()).bool("ok"), out);
      assertEquals("DENIED", ((Json.JObject) running.denied()).string("state"));
      // Each process says what its transport is when it starts.
      for (String log : java.util.List.of("coordinator", "worker", "hospital-a", "insurer-x")) {
        String text = Files.readString(demo.resolve("logs").resolve(log + ".log"));
        assertTrue(text.contains("covenant: transport: TLS 1.3 with international primitives"), log + ": " + text);
      }
      for (var node : running.nodeDirs().entrySet()) {
        OrgKeystore ks = OrgKeystore.open(node.getValue().resolve("orgs").resolve(node.getKey().value()), node.getKey());
        assertEquals(CryptoSuite.SM, ks.credentials().signingKey().suite(), node.getKey() + "'s keys");
        OrgCertificate cert = OrgCertificate.fromPem(Files.readString(node.getValue().resolve("orgs").resolve(node.getKey().value()).resolve("certificate.pem")));
        assertEquals(CryptoSuite.SM, cert.subjectKey().orElseThrow().suite(), node.getKey() + "'s certificate");
      }
    }
    Path coordinator = demo.resolve("coordinator");
    assertEquals(CryptoSuite.SM, Consortium.read(coordinator.resolve(LocalDeployment.CONSORTIUM_FILE)).suite());
    try (LocalDeployment d = LocalDeployment.open(coordinator)) {
      assertEquals(CryptoSuite.SM, d.ledger().checkpoint().suite());
      long n = d.ledger().size();
      assertTrue(n > 15, "entries: " + n);
      for (LedgerEntry e : d.ledger().entries(0, n)) assertEquals(CryptoSuite.SM, e.suite());
      // Every organisation registered with SM2 keys, the hospitals and the insurer from their own nodes.
      for (var h : HospitalInsurerDemo.HOSPITALS) assertEquals(CryptoSuite.SM, d.ledger().organisation(h.org()).orElseThrow().signingKey().suite());
    }
    try (Stream<Path> blocks = Files.walk(coordinator.resolve("blocks"))) {
      var cids = blocks.filter(Files::isRegularFile).map(p -> Cid.parse(p.getFileName().toString())).toList();
      assertTrue(cids.size() > 3, "blocks: " + cids);
      for (Cid c : cids) assertEquals(Cid.SM3_256, c.multihashCode(), c.toString());
    }
    PrintStream console = System.out;
    ByteArrayOutputStream verified = new ByteArrayOutputStream();
    System.setOut(new PrintStream(verified, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("verify", "--data-dir", coordinator.toString()));
      // The consortium's suite is fixed: the same folder refuses the international suite.
      assertNotEquals(0, CovenantCli.execute("demo", "--suite", "intl", "--data-dir", demo.toString()));
    } finally {
      System.setOut(console);
    }
    assertTrue(verified.toString(StandardCharsets.UTF_8).contains("crypto suite: sm"), verified.toString(StandardCharsets.UTF_8));
  }
}
