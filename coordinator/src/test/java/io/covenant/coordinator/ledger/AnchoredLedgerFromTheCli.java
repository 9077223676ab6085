package io.covenant.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.Insider;
import io.covenant.ledger.evm.AuditContract;
import io.covenant.ledger.evm.EvmAddress;
import io.covenant.ledger.evm.EvmTestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;

/**
 * Hybrid anchoring from the command line against a real EVM node (anvil): {@code --ledger anchored=...} anchors the
 * log's checkpoints on the audit contract, {@code verify --anchors} checks the log against them, and a rewrite the
 * operator re-signed with its own key is named by the chain.
 */
@Tag("evm")
@ExtendWith(EvmTestNode.class)
class AnchoredLedgerFromTheCli {
  @TempDir Path tmp;

  @Test
  void anchorsAreWrittenAndCheckedFromTheCli(EvmTestNode.Running node) throws Exception {
    Credentials admin = node.accounts.get(0);
    Credentials operator = node.accounts.get(5);
    EvmAddress contract = AuditContract.deploy(node.endpoint(), admin);
    try (AuditContract c = AuditContract.at(node.endpoint(), contract)) {
      c.addMember(admin, LocalDeployment.OPERATOR, EvmAddress.of(operator));
    }
    Path keyFile = tmp.resolve("operator-evm.key");
    Files.writeString(keyFile, Numeric.toHexStringNoPrefixZeroPadded(operator.getEcKeyPair().getPrivateKey(), 64));
    String data = tmp.resolve("data").toString();
    String spec = "anchored=" + node.url + ",contract=" + contract.hex() + ",key-file=" + keyFile + ",every=1000";

    LocalDeployment.open(tmp.resolve("data")).close(); // the operator's deployment exists before its ledger is anchored
    CliRun cp = CliRun.of("ledger", "checkpoint", "--data-dir", data, "--ledger", spec);
    assertEquals(0, cp.exit(), cp.toString());
    assertTrue(cp.out().contains("block "), "the checkpoint was anchored: " + cp);
    String anchors = node.url + ",contract=" + contract.hex();
    CliRun ok = CliRun.of("verify", "--data-dir", data, "--anchors", anchors);
    assertEquals(0, ok.exit(), ok.toString());
    assertTrue(ok.out().contains("anchors: 1 checkpoints anchored on chain"), ok.toString());

    SigningKey operatorKey;
    try (LocalDeployment d = LocalDeployment.open(tmp.resolve("data"))) {
      operatorKey = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey();
    }
    Insider insider = new Insider(tmp.resolve("data").resolve("ledger"));
    insider.editAndResign(0, ev -> {
      AuditEvent.OrgRegistered r = (AuditEvent.OrgRegistered) ev;
      return new AuditEvent.OrgRegistered(r.org(), "Someone Else", r.role(), r.signingKey(), r.encryptionKey());
    }, operatorKey);
    insider.resignCheckpoints(operatorKey);
    assertEquals(0, CliRun.of("verify", "--data-dir", data).exit(), "on its own the re-signed rewrite verifies");
    CliRun caught = CliRun.of("verify", "--data-dir", data, "--anchors", anchors);
    assertEquals(1, caught.exit(), caught.toString());
    assertTrue(caught.out().contains("entry 0 (ORG_REGISTERED) is the first entry that differs") && caught.out().contains("rewritten after it was anchored"), caught.toString());

    CliRun badSpec = CliRun.of("ledger", "checkpoint", "--data-dir", tmp.resolve("other").toString(), "--ledger", "anchored=" + node.url);
    assertEquals(1, badSpec.exit());
    assertTrue(badSpec.err().contains("contract= and key-file= are required") && !Files.exists(tmp.resolve("other")), badSpec.toString());
  }
}
