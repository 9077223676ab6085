package io.covenant.ledger.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.Signature;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.embedded.EmbeddedLedger;
import io.covenant.ledger.merkle.MerkleTree;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed scenario on a real EVM node: each organisation appends its own events from its own client with its own
 * secp256k1 key; an auditor's client reads them back identically, bit for bit the entries the embedded ledger makes,
 * and the export passes LedgerVerifier.
 */
@Tag("evm")
@ExtendWith(EvmTestNode.class)
class SeedScenarioRoundTripsOnChain {

  @ParameterizedTest(name = "on {0}")
  @MethodSource("io.covenant.ledger.evm.EvmTestNode#kinds")
  void threeOrganisationsAppendAndAnAuditorVerifies(EvmTestNode.Kind kind, @TempDir Path tmp) {
    EvmTestNode.Running node = EvmTestNode.of(kind);
    ChainFixture f = new ChainFixture(node);
    JobId tee = JobId.random();
    JobId mpc = JobId.random();
    List<SignedEvent> history = new ArrayList<>(f.s.setup());
    history.addAll(f.s.teeJob(tee));
    history.addAll(f.s.mpcJob(mpc));

    Map<OrgId, EvmLedger> clients = new HashMap<>();
    for (OrgCredentials o : List.of(f.s.hospitalA, f.s.hospitalB, f.s.insurer, f.s.operator)) clients.put(o.org(), f.clientOf(o));
    List<LedgerEntry> appended = new ArrayList<>();
    try {
      for (SignedEvent e : history) appended.add(clients.get(e.actor()).append(e));
    } finally {
      clients.values().forEach(EvmLedger::close);
    }

    try (EvmLedger auditor = f.reader(node.endpoint()); EmbeddedLedger local = EmbeddedLedger.open(tmp.resolve("local"), f.s.operator.signingKey())) {
      assertEquals(history.size(), auditor.size());
      List<LedgerEntry> read = auditor.entries(0, auditor.size());
      assertEquals(appended, read, "what append returned is what the chain holds");
      for (int i = 0; i < history.size(); i++) {
        assertEquals(history.get(i), read.get(i).event());
        LedgerEntry same = local.append(history.get(i));
        assertEquals(same.leafHash(), read.get(i).leafHash(), "entry " + i + " has the embedded ledger's leaf");
      }
      assertEquals(local.checkpoint().rootHash(), auditor.checkpoint().rootHash());
      assertEquals(f.s.teeJob(tee).size(), auditor.entriesForJob(tee).size());
      assertEquals(f.s.insurer.registration("insurer-x", "member"), auditor.organisation(f.s.insurer.org()).orElseThrow());

      SignedCheckpoint head = auditor.checkpoint();
      for (LedgerEntry e : read) assertTrue(auditor.proveInclusion(e.index(), head.treeSize()).verify(e.leafHash(), head.rootHash()));
      Digest setupRoot = MerkleTree.of(read.subList(0, 8).stream().map(LedgerEntry::leafHash).toList()).root();
      assertTrue(auditor.proveConsistency(8, head.treeSize()).verify(setupRoot, head.rootHash()));

      Path export = tmp.resolve("chain-audit.jsonl");
      auditor.export(export);
      VerificationReport r = LedgerVerifier.verify(LedgerExport.read(export), f.s.operator.signingKey().verifyingKey());
      assertTrue(r.ok(), r.toString());
      assertEquals(history.size(), r.entries());
    }
  }

  @Test
  void aForgedSignatureOrAForeignActorIsRefusedBeforeSending(EvmTestNode.Running node) {
    ChainFixture f = new ChainFixture(node);
    try (EvmLedger hospital = f.clientOf(f.s.hospitalA); EvmLedger insurer = f.clientOf(f.s.insurer)) {
      hospital.append(f.s.register(f.s.hospitalA));
      insurer.append(f.s.register(f.s.insurer));
      SignedEvent policy = f.s.setup().get(6);
      SignedEvent forged = new SignedEvent(policy.event(), policy.actor(), policy.issuedAt(), Signature.of(new byte[64]));
      var e = assertThrows(LedgerRejectedException.class, () -> hospital.append(forged));
      assertTrue(e.getMessage().contains("does not verify against hospital-a's registered key"), e.getMessage());
      var foreign = assertThrows(LedgerRejectedException.class, () -> insurer.append(policy));
      assertTrue(foreign.getMessage().contains("holds no transaction key for hospital-a"), foreign.getMessage());
      assertEquals(2, hospital.size());
    }
  }
}
