package io.covenant.ledger.verify;

import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.SignedCheckpoint;

/**
 * A log checkpoint as it was anchored on a chain: the signed tree head and where the chain holds it. Read from the
 * chain by the EVM backend ({@code AuditContract.anchors()}); checked offline by {@link ChainAnchors}.
 *
 * @param checkpoint the log operator's signed tree head
 * @param blockNumber the block that holds the anchoring transaction
 * @param transaction the anchoring transaction's hash, as the chain names it (0x-prefixed hex)
 */
public record ChainAnchor(SignedCheckpoint checkpoint, long blockNumber, String transaction) {
  public ChainAnchor {
    if (checkpoint == null || transaction == null) throw new MalformedInputException("a chain anchor needs its checkpoint and transaction");
    if (blockNumber < 0) throw new MalformedInputException("a block number must not be negative, got " + blockNumber);
  }
}
