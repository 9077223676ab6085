package io.covenant.ledger.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.SignedEvent;
import io.covenant.ledger.Cosignature;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify accepts a checkpoint only with a quorum of the consortium's witnesses, and names the ones missing. */
class QuorumNotMetNamesMissingWitnesses {
  @TempDir Path tmp;

  @Test
  void missingAndForgedCosignaturesAreNamed() {
    Scenario s = new Scenario();
    Path dir = tmp.resolve("ledger");
    var logKey = s.operator.signingKey();
    Witness a = Witness.create(tmp.resolve("a"), "hospital-a", logKey.verifyingKey());
    Witness b = Witness.create(tmp.resolve("b"), "hospital-b", logKey.verifyingKey());
    Witness x = Witness.create(tmp.resolve("x"), "insurer-x", logKey.verifyingKey());
    List<Consortium.Member> members = List.of(a, b, x).stream().map(w -> new Consortium.Member(w.name(), w.publicKey())).toList();
    try (EmbeddedLedger l = EmbeddedLedger.open(dir, logKey)) {
      for (SignedEvent e : s.lawfulHistory()) l.append(e);
      // Only hospital-a is reachable; insurer-x's "cosignature" is forged by the operator with a key of its own.
      CosigningRound.Outcome round = CosigningRound.run(l, List.of(a), dir);
      Cosignature forged = Cosignature.sign("insurer-x", SigningKey.generate(), round.checkpoint().checkpoint(), java.time.Instant.now());
      CosigningRound.record(dir, round.checkpoint().with(List.of(forged)));
    }
    LedgerExport export = LedgerExport.ofLedgerDirectory(dir);

    VerificationReport two = LedgerVerifier.verify(export, AuditorTrust.NONE.withConsortium(new Consortium(Optional.empty(), 2, members)));
    String why = two.failure().orElseThrow().reason();
    assertTrue(why.contains("(2 of 3)") && why.contains("cosigned by hospital-a; missing cosignatures from hospital-b, insurer-x"), why);

    VerificationReport one = LedgerVerifier.verify(export, AuditorTrust.NONE.withConsortium(new Consortium(Optional.empty(), 1, members)));
    assertTrue(one.ok(), one.toString());
    assertEquals(List.of("hospital-a"), one.cosigners());
    assertEquals(export.entries().size(), one.witnessed());
    CosignedCheckpoint last = export.witnessed().get(export.witnessed().size() - 1);
    assertEquals(2, last.cosignatures().size());
  }
}
