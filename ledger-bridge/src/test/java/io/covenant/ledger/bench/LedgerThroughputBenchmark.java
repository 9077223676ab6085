package io.covenant.ledger.bench;

import io.covenant.ledger.evm.EvmTestNode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.utils.Numeric;

/**
 * Runs {@link LedgerBenchmark} with the EVM part against the test anvil node. Not part of the default build; run with
 * {@code -Dcovenant.excluded.groups=none -Dgroups=benchmark -Dtest=LedgerThroughputBenchmark}
 * (optionally {@code -Dbench.events=… -Dbench.appenders=… -Dbench.evmEvents=…}).
 */
@Tag("benchmark")
@ExtendWith(EvmTestNode.class)
class LedgerThroughputBenchmark {

  @Test
  void embeddedProofsAndEvm(EvmTestNode.Running node) {
    var key = Numeric.toHexStringNoPrefixZeroPadded(node.accounts.get(8).getEcKeyPair().getPrivateKey(), 64);
    LedgerBenchmark.Options o = LedgerBenchmark.Options.defaults()
        .withEvents(Integer.getInteger("bench.events", 200_000))
        .withAppenders(Integer.getInteger("bench.appenders", 512))
        .withEvm(node.url, key)
        .withEvmEvents(Integer.getInteger("bench.evmEvents", 1000), Integer.getInteger("bench.evmAppenders", 16));
    LedgerBenchmark.run(o, System.out);
  }
}
