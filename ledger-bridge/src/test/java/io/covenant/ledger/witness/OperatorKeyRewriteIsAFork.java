package io.covenant.ledger.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.Insider;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.segment.LedgerDirectory;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, point 2: the operator rewrites history with its REAL log key, re-signing every event it signed and every
 * checkpoint. Without witnesses that verifies (shown first). With the consortium's witnesses, verify names the fork
 * (or the missing cosignatures, if the operator also hides what the witnesses saw), and no witness cosigns the rewrite.
 */
class OperatorKeyRewriteIsAFork {
  @TempDir Path tmp;

  @Test
  void verifyNamesTheForkAndTheWitnessesRefuseIt() {
    Scenario s = new Scenario();
    List<SignedEvent> history = s.lawfulHistory();
    Path dir = tmp.resolve("ledger");
    List<Witness> witnesses = List.of(
        Witness.create(tmp.resolve("w-a"), "hospital-a", s.operator.signingKey().verifyingKey()),
        Witness.create(tmp.resolve("w-b"), "hospital-b", s.operator.signingKey().verifyingKey()),
        Witness.create(tmp.resolve("w-x"), "insurer-x", s.operator.signingKey().verifyingKey()));
    Consortium consortium = new Consortium(Optional.of(s.operator.signingKey().verifyingKey()), 2,
        witnesses.stream().map(w -> new Consortium.Member(w.name(), w.publicKey())).toList());
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      for (SignedEvent e : history) {
        l.append(e);
        assertTrue(CosigningRound.run(l, witnesses, dir).refusals().isEmpty()); // witnessed after every entry
      }
    }
    AuditorTrust trust = AuditorTrust.NONE.withConsortium(consortium);
    VerificationReport honest = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), trust);
    assertTrue(honest.ok(), honest.toString());
    assertEquals(history.size(), honest.witnessed());

    // The operator under-reports a usage settlement it signed itself, re-signs it and every checkpoint with its real key.
    int target = -1;
    for (int i = 0; i < history.size() && target < 0; i++) if (history.get(i).event() instanceof AuditEvent.UsageSettled) target = i;
    Insider insider = new Insider(dir);
    insider.editAndResign(target, ev -> {
      AuditEvent.UsageSettled u = (AuditEvent.UsageSettled) ev;
      return new AuditEvent.UsageSettled(u.jobId(), u.dataset(), u.beneficiary(), 0);
    }, s.operator.signingKey());
    insider.resignCheckpoints(s.operator.signingKey());

    LedgerExport rewritten = LedgerExport.ofLedgerDirectory(dir);
    assertTrue(LedgerVerifier.verify(rewritten.withWitnessed(List.of()), s.operator.signingKey().verifyingKey()).ok(),
        "the operator's key alone makes the rewrite verify: this is what witnesses are for");

    VerificationReport fork = LedgerVerifier.verify(rewritten, trust);
    assertFalse(fork.ok());
    var f = fork.failure().orElseThrow();
    assertEquals(target, f.index(), f.reason());
    assertTrue(f.reason().contains("fork") && f.reason().contains("cosigned by hospital-a, hospital-b, insurer-x"), f.reason());

    insider.dropWitnessed();
    VerificationReport hidden = LedgerVerifier.verify(LedgerExport.ofLedgerDirectory(dir), trust);
    assertTrue(hidden.failure().orElseThrow().reason().contains("missing cosignatures from hospital-a, hospital-b, insurer-x"), hidden.toString());

    try (EmbeddedLedger l = EmbeddedLedger.open(dir, s.operator.signingKey())) {
      CosigningRound.Outcome round = CosigningRound.run(l, witnesses, dir);
      assertTrue(round.checkpoint().cosignatures().isEmpty(), "no witness cosigns the rewritten log");
      assertEquals(3, round.refusals().size());
      round.refusals().values().forEach(why -> assertTrue(why.contains("fork"), why));
    }
    assertFalse(Files.exists(LedgerDirectory.witnessedFile(dir)), "a round nobody cosigned records nothing");
  }
}
