package io.covenant.ledger.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerRejectedException;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Membership is the contract's: an address the admin never added, or a member posing as another organisation, is
 * refused by the contract, and the refusal names the contract's custom error on every node kind, whether the node
 * mines a failed receipt (anvil, geth) or refuses the transaction in its answer to eth_sendRawTransaction (Hardhat).
 */
@Tag("evm")
@ExtendWith(EvmTestNode.class)
class NonMemberIsRefusedByTheContract {

  @ParameterizedTest(name = "on {0}")
  @MethodSource("io.covenant.ledger.evm.EvmTestNode#kinds")
  void anOutsiderCannotAppend(EvmTestNode.Kind kind) {
    EvmTestNode.Running node = EvmTestNode.of(kind);
    ChainFixture f = new ChainFixture(node);
    OrgCredentials rogue = OrgCredentials.generate(OrgId.of("rogue-insurer"));
    try (EvmLedger outsider = EvmLedger.open(node.endpoint(), f.contract, f.s.operator.signingKey(), Map.of(rogue.org(), f.outsider))) {
      var e = assertThrows(LedgerRejectedException.class, () -> outsider.append(f.s.register(rogue)));
      assertTrue(e.getMessage().contains("refused by the audit contract") && e.getMessage().contains("not a member (NotAMember(address))"), e.getMessage());
      assertEquals(0, outsider.size());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("io.covenant.ledger.evm.EvmTestNode#kinds")
  void aMemberCannotWriteAsAnotherOrganisation(EvmTestNode.Kind kind) {
    EvmTestNode.Running node = EvmTestNode.of(kind);
    ChainFixture f = new ChainFixture(node);
    // The insurer's client is handed hospital-a's transaction key: the contract knows that address is hospital-a's.
    try (EvmLedger impostor = EvmLedger.open(node.endpoint(), f.contract, f.s.operator.signingKey(), Map.of(f.s.insurer.org(), f.keys.get(f.s.hospitalA.org())))) {
      var e = assertThrows(LedgerRejectedException.class, () -> impostor.append(f.s.register(f.s.insurer)));
      assertTrue(e.getMessage().contains("member for another organisation (WrongActor(address,bytes32,bytes32))"), e.getMessage());
      assertEquals(0, impostor.size());
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("io.covenant.ledger.evm.EvmTestNode#kinds")
  void onlyTheAdminAddsMembers(EvmTestNode.Kind kind) {
    EvmTestNode.Running node = EvmTestNode.of(kind);
    ChainFixture f = new ChainFixture(node);
    try (AuditContract c = AuditContract.at(node.endpoint(), f.contract)) {
      var e = assertThrows(LedgerRejectedException.class, () -> c.addMember(f.outsider, OrgId.of("rogue-insurer"), EvmAddress.of(f.outsider)));
      assertTrue(e.getMessage().contains("only the contract's admin may do this (NotAdmin(address))"), e.getMessage());
    }
  }
}
