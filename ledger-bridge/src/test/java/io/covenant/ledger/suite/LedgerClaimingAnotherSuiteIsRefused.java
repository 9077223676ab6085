package io.covenant.ledger.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.merkle.MerkleTree;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consortium runs on one crypto suite. Its log refuses an organisation registering keys of the other suite, and
 * {@code verify} refuses a ledger whose entries or checkpoints claim a suite other than the consortium's: an operator
 * who rebuilds a national-suite ledger under the international suite (or relabels one checkpoint) is named, even with
 * every signature valid.
 */
class LedgerClaimingAnotherSuiteIsRefused {
  @TempDir Path dir;

  private static SignedEvent register(OrgCredentials c, int second) {
    return SignedEvent.sign(c.registration(c.org().value(), "member"), c.org(), c.signingKey(), Instant.parse("2026-11-21T10:00:00Z").plusSeconds(second));
  }

  private static SignedEvent policy(OrgCredentials c, int second) {
    return SignedEvent.sign(new AuditEvent.PolicyPublished(new DatasetId(c.org(), "claims"), "claims-stats", Digest.sha256("p".getBytes(StandardCharsets.UTF_8))),
        c.org(), c.signingKey(), Instant.parse("2026-11-21T10:00:00Z").plusSeconds(second));
  }

  /** A ledger of the given suite with two events; returns its export. */
  private LedgerExport ledger(String name, CryptoSuite suite, SigningKey logKey) {
    OrgCredentials hospital = OrgCredentials.generate(OrgId.of("hospital-a"), suite);
    Path file = dir.resolve(name + ".jsonl");
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve(name), logKey)) {
      ledger.append(register(hospital, 0));
      ledger.append(policy(hospital, 1));
      ledger.export(file);
    }
    return LedgerExport.read(file);
  }

  @Test
  void aNationalLedgerRecordsItsSuiteAndVerifies() {
    SigningKey logKey = CryptoSuite.SM.generateSigningKey();
    LedgerExport export = ledger("sm", CryptoSuite.SM, logKey);
    assertTrue(export.entries().stream().allMatch(e -> e.suite() == CryptoSuite.SM));
    assertEquals(CryptoSuite.SM, export.checkpoint().suite());
    assertTrue(export.checkpoint().toJson().encode().contains("\"suite\":\"sm\""));
    // The tree is SM3's: the checkpoint's root is the SM3 Merkle root and not the SHA-256 one.
    List<Digest> leaves = export.entries().stream().map(LedgerEntry::leafHash).toList();
    assertEquals(MerkleTree.of(CryptoSuite.SM, leaves).root(), export.checkpoint().rootHash());
    VerificationReport report = LedgerVerifier.verify(export, logKey.verifyingKey());
    assertTrue(report.ok(), report.toString());
  }

  @Test
  void theLogRefusesARegistrationWithKeysOfTheOtherSuite() {
    try (EmbeddedLedger ledger = EmbeddedLedger.open(dir.resolve("sm"), CryptoSuite.SM.generateSigningKey())) {
      OrgCredentials intl = OrgCredentials.generate(OrgId.of("hospital-b"), CryptoSuite.INTL);
      LedgerRejectedException e = assertThrows(LedgerRejectedException.class, () -> ledger.append(register(intl, 0)));
      assertTrue(e.getMessage().contains("never mixes suites"), e.getMessage());
      assertEquals(0, ledger.size());
    }
  }

  @Test
  void verifyRefusesEntriesThatClaimTheInternationalSuiteInANationalConsortium() {
    // The operator rebuilt the log under the international suite, every signature valid; the auditor pins the
    // consortium's national log key's suite through its consortium file.
    SigningKey nationalLogKey = CryptoSuite.SM.generateSigningKey();
    LedgerExport rebuilt = ledger("intl", CryptoSuite.INTL, SigningKey.generate());
    assertTrue(LedgerVerifier.verify(rebuilt).ok(), "on its own, an international ledger is lawful");
    AuditorTrust trust = AuditorTrust.NONE.withConsortium(
        new Consortium(Optional.empty(), 1, List.of(new Consortium.Member("witness", CryptoSuite.SM.generateSigningKey().verifyingKey()))));
    VerificationReport report = LedgerVerifier.verify(rebuilt, trust);
    assertFalse(report.ok());
    assertEquals(0, report.failure().orElseThrow().index());
    assertTrue(report.toString().contains("claims the intl crypto suite, but the consortium runs on sm"), report.toString());
  }

  @Test
  void verifyRefusesACheckpointThatClaimsAnotherSuite() {
    SigningKey logKey = CryptoSuite.SM.generateSigningKey();
    LedgerExport export = ledger("sm", CryptoSuite.SM, logKey);
    SignedCheckpoint real = export.checkpoint();
    // Relabelled as international: same root, signed again by the same SM2 log key over the international statement.
    SignedCheckpoint relabelled = new SignedCheckpoint(real.treeSize(), real.rootHash(), real.at(), real.logKey(),
        logKey.sign(SignedCheckpoint.statement(real.treeSize(), real.rootHash(), real.at(), real.logKey()).canonicalBytes()), CryptoSuite.INTL);
    VerificationReport report = LedgerVerifier.verify(new LedgerExport(export.entries(), relabelled), logKey.verifyingKey());
    assertFalse(report.ok());
    assertTrue(report.toString().contains("claims the intl crypto suite, but the consortium runs on sm"), report.toString());
  }

  @Test
  void aConsortiumFileWhoseSuiteContradictsItsKeysIsRefused() {
    SigningKey logKey = CryptoSuite.SM.generateSigningKey();
    Consortium national = new Consortium(Optional.of(logKey.verifyingKey()), 1, List.of(new Consortium.Member("w", CryptoSuite.SM.generateSigningKey().verifyingKey())));
    assertEquals(CryptoSuite.SM, national.suite());
    assertEquals(national, Consortium.fromJson(national.toJson()));
    String relabelled = national.toJson().encode().replace("\"suite\":\"sm\"", "\"suite\":\"intl\"");
    assertThrows(io.covenant.core.error.MalformedInputException.class, () -> Consortium.fromJson(io.covenant.core.codec.Json.parseObject(relabelled)));
    assertThrows(io.covenant.core.error.MalformedInputException.class,
        () -> new Consortium(Optional.of(logKey.verifyingKey()), 1, List.of(new Consortium.Member("w", SigningKey.generate().verifyingKey()))));
  }
}
