package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.policy.Policy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An insider (here the owner's own key) who records a policy's SHA-256 on a national (SM3) ledger is named by
 * {@code verify --data-dir}: the entry is signed and lawful, so the ledger checks alone pass it, but verify recomputes
 * the hash of the policy text the owner keeps under the consortium's suite and names the entry and the hash it was made
 * with. Before that entry the same directory verifies.
 */
class Sha256PolicyHashOnANationalLedgerIsNamedByVerify {
  static final OrgId HOSPITAL = OrgId.of("hospital-a");
  @TempDir Path dir;

  @Test
  void verifyNamesTheEntryAndTheOtherSuitesHash() throws Exception {
    PrintStream console = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, CovenantCli.execute("demo", "--suite", "sm", "--in-process", "--data-dir", dir.toString()));
    } finally {
      System.setOut(console);
    }
    assertEquals(0, CovenantCli.executeCaptured("verify", "--data-dir", dir.toString()).exit(), "the demo's own ledger verifies");

    Policy kept;
    try (Stream<Path> files = Files.list(dir.resolve("orgs").resolve(HOSPITAL.value()).resolve("policies"))) {
      kept = Policy.parse(Files.readString(files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow()));
    }
    long index;
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      var owner = d.keystore(HOSPITAL).credentials();
      var insider = new AuditEvent.PolicyPublished(kept.dataset(), kept.id(), kept.hash(CryptoSuite.INTL), Optional.of(kept.ledgerLimits()));
      index = d.ledger().append(SignedEvent.sign(insider, owner.org(), owner.signingKey(), Instant.now())).index();
    }
    var verified = CovenantCli.executeCaptured("verify", "--data-dir", dir.toString());
    assertEquals(1, verified.exit(), verified.out() + verified.err());
    assertTrue(verified.out().contains("FAILED: entry " + index + " (POLICY_PUBLISHED)") && verified.out().contains("by its SHA-256 ")
        && verified.out().contains("its SM3 is " + kept.hash(CryptoSuite.SM).shortForm()), verified.out());
  }
}
