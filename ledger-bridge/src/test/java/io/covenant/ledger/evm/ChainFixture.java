package io.covenant.ledger.evm;

import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.Scenario;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;

/** The seed scenario's organisations on a fresh audit contract: account 0 is the admin, 1-4 the members, 9 an outsider. */
final class ChainFixture {
  final EvmTestNode.Running node;
  final Scenario s = new Scenario();
  final EvmAddress contract;
  final Credentials admin;
  final Map<OrgId, Credentials> keys;
  final Credentials outsider;

  ChainFixture(EvmTestNode.Running node) {
    this.node = node;
    List<Credentials> a = node.accounts;
    this.admin = a.get(0);
    this.outsider = a.get(9);
    this.keys = Map.of(s.hospitalA.org(), a.get(1), s.hospitalB.org(), a.get(2), s.insurer.org(), a.get(3), s.operator.org(), a.get(4));
    this.contract = AuditContract.deploy(node.endpoint(), admin);
    try (AuditContract c = AuditContract.at(node.endpoint(), contract)) {
      for (var e : keys.entrySet()) c.addMember(admin, e.getKey(), EvmAddress.of(e.getValue()));
    }
  }

  /** A client of one organisation, holding only that organisation's transaction key. */
  EvmLedger clientOf(OrgCredentials org) {
    return EvmLedger.open(node.endpoint(), contract, s.operator.signingKey(), Map.of(org.org(), keys.get(org.org())));
  }

  /** A read-only client (an auditor's). */
  EvmLedger reader(EvmEndpoint endpoint) {
    return EvmLedger.open(endpoint, contract, s.operator.signingKey(), Map.of());
  }
}
