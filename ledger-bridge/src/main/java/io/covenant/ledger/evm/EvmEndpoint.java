package io.covenant.ledger.evm;

import io.covenant.core.error.MalformedInputException;
import java.net.URI;
import java.time.Duration;

/**
 * Where the EVM node is and how patiently to talk to it.
 *
 * @param rpcUrl the node's HTTP JSON-RPC URL, e.g. {@code http://127.0.0.1:8545}
 * @param timeout how long one JSON-RPC call may take, including retries while the node is unreachable
 * @param confirmations how many blocks must follow an entry's block before it counts: appends wait for them and reads
 *     see only entries that have them. 0 for instant-mining test chains; QBFT blocks are final at once, so 0 is also
 *     right for Besu QBFT; use more on chains with probabilistic finality
 * @param pollInterval how often to ask for receipts and new blocks
 * @param transactionTimeout how long an append may wait for its transaction to be mined and confirmed
 * @param logPageBlocks the block range of one eth_getLogs request (Besu refuses more than 5000 by default)
 */
public record EvmEndpoint(
    URI rpcUrl, Duration timeout, int confirmations, Duration pollInterval, Duration transactionTimeout, long logPageBlocks) {

  public EvmEndpoint {
    if (rpcUrl == null || rpcUrl.getScheme() == null || !(rpcUrl.getScheme().equals("http") || rpcUrl.getScheme().equals("https"))) {
      throw new MalformedInputException("EVM node URL '" + rpcUrl + "' is not an http(s) URL; give the node's JSON-RPC URL, e.g. http://127.0.0.1:8545");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) throw new MalformedInputException("the EVM node timeout must be positive");
    if (confirmations < 0) throw new MalformedInputException("confirmation depth must not be negative, got " + confirmations);
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) throw new MalformedInputException("the poll interval must be positive");
    if (transactionTimeout == null || transactionTimeout.isNegative() || transactionTimeout.isZero()) {
      throw new MalformedInputException("the transaction timeout must be positive");
    }
    if (logPageBlocks < 1) throw new MalformedInputException("an eth_getLogs page must span at least one block, got " + logPageBlocks);
  }

  /** {@code url} with a 10 s call timeout, 0 confirmations, 20 ms polling, 2 min per transaction, 5000-block log pages. */
  public static EvmEndpoint of(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("EVM node URL '" + url + "' does not parse: " + e.getMessage());
    }
    return new EvmEndpoint(uri, Duration.ofSeconds(10), 0, Duration.ofMillis(20), Duration.ofMinutes(2), 5000);
  }

  public EvmEndpoint withConfirmations(int n) {
    return new EvmEndpoint(rpcUrl, timeout, n, pollInterval, transactionTimeout, logPageBlocks);
  }

  public EvmEndpoint withTimeout(Duration t) {
    return new EvmEndpoint(rpcUrl, t, confirmations, pollInterval, transactionTimeout, logPageBlocks);
  }

  public EvmEndpoint withTransactionTimeout(Duration t) {
    return new EvmEndpoint(rpcUrl, timeout, confirmations, pollInterval, t, logPageBlocks);
  }

  public EvmEndpoint withLogPageBlocks(long blocks) {
    return new EvmEndpoint(rpcUrl, timeout, confirmations, pollInterval, transactionTimeout, blocks);
  }
}
