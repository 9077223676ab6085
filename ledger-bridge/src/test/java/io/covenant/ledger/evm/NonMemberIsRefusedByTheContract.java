package io.covenant.ledger.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerRejectedException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Membership is the contract's: an address the admin never added, or a member posing as another organisation, is reverted on chain. */
@Tag("evm")
@ExtendWith(GanacheNode.class)
class NonMemberIsRefusedByTheContract {

  @Test
  void anOutsiderCannotAppend(GanacheNode.Running node) {
    ChainFixture f = new ChainFixture(node);
    OrgCredentials rogue = OrgCredentials.generate(OrgId.of("rogue-insurer"));
    try (EvmLedger outsider = EvmLedger.open(node.endpoint(), f.contract, f.s.operator.signingKey(), Map.of(rogue.org(), f.outsider))) {
      var e = assertThrows(LedgerRejectedException.class, () -> outsider.append(f.s.register(rogue)));
      assertTrue(e.getMessage().contains("refused by the audit contract") && e.getMessage().contains("not a member"), e.getMessage());
      assertEquals(0, outsider.size());
    }
  }

  @Test
  void aMemberCannotWriteAsAnotherOrganisation(GanacheNode.Running node) {
    ChainFixture f = new ChainFixture(node);
    // The insurer's client is handed hospital-a's transaction key: the contract knows that address is hospital-a's.
    try (EvmLedger impostor = EvmLedger.open(node.endpoint(), f.contract, f.s.operator.signingKey(), Map.of(f.s.insurer.org(), f.keys.get(f.s.hospitalA.org())))) {
      var e = assertThrows(LedgerRejectedException.class, () -> impostor.append(f.s.register(f.s.insurer)));
      assertTrue(e.getMessage().contains("member for another organisation"), e.getMessage());
      assertEquals(0, impostor.size());
    }
  }

  @Test
  void onlyTheAdminAddsMembers(GanacheNode.Running node) {
    ChainFixture f = new ChainFixture(node);
    try (AuditContract c = AuditContract.at(node.endpoint(), f.contract)) {
      var e = assertThrows(LedgerRejectedException.class, () -> c.addMember(f.outsider, OrgId.of("rogue-insurer"), EvmAddress.of(f.outsider)));
      assertTrue(e.getMessage().contains("only the contract's admin"), e.getMessage());
    }
  }
}
