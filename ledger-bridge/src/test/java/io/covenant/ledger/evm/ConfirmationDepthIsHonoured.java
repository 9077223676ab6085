package io.covenant.ledger.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.ledger.LedgerEntry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With a confirmation depth of 2 an append returns, and readers count the entry, only once two more blocks follow
 * the entry's block. The test node (anvil) mines one block per transaction; the test mines the extra blocks with
 * evm_mine.
 */
@Tag("evm")
@ExtendWith(EvmTestNode.class)
class ConfirmationDepthIsHonoured {

  @Test
  void appendsAndReadsWaitForTheDepth(EvmTestNode.Running node) throws Exception {
    ChainFixture f = new ChainFixture(node);
    EvmEndpoint deep = node.endpoint().withConfirmations(2);
    try (EvmLedger instant = f.reader(node.endpoint());
        EvmLedger hospital = EvmLedger.open(deep, f.contract, f.s.operator.signingKey(), Map.of(f.s.hospitalA.org(), f.keys.get(f.s.hospitalA.org())));
        EvmLedger auditor = f.reader(deep)) {
      CompletableFuture<LedgerEntry> append = CompletableFuture.supplyAsync(() -> hospital.append(f.s.register(f.s.hospitalA)));
      while (instant.size() == 0) { // wait until it is mined, with no confirmations yet
        if (append.isDone()) append.join(); // surfaces a failed append instead of waiting forever
        Thread.sleep(10);
      }
      long minedIn = node.blockNumber();
      assertFalse(append.isDone(), "append returned before any confirmation");
      assertEquals(0, auditor.size(), "a depth-2 reader counts an entry with 0 confirmations");

      node.mine(1);
      assertEquals(0, auditor.size(), "a depth-2 reader counts an entry with 1 confirmation");
      assertFalse(append.isDone(), "append returned with 1 confirmation");

      node.mine(1);
      LedgerEntry e = append.get();
      assertEquals(0, e.index());
      assertTrue(node.blockNumber() >= minedIn + 2);
      assertEquals(1, auditor.size());
      assertEquals(e, auditor.entries(0, 1).get(0));
    }
  }
}
