package io.covenant.coordinator.cli;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.bench.LedgerBenchmark;
import io.covenant.storage.bench.StorageBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code bench storage|ledger --suite sm}: the national suite measured in the same process right after the international
 * one, side by side, each figure with its ratio (national / international). Same data sizes, same machine state.
 */
final class SuiteComparison {
  private SuiteComparison() {}

  static void storage(long bytes, Path workDir, StorageBenchmark.Result intl, PrintStream out) {
    out.println();
    out.println("the same dataset under the national suite (SM2 owner key, SM4-GCM shards, SM3 CIDs):");
    StorageBenchmark.Result sm = StorageBenchmark.run(bytes, workDir, out, CryptoSuite.SM);
    out.print(sm.table());
    long sealBytes = Math.min(bytes, 256L << 20);
    double sealIntl = StorageBenchmark.sealingMBps(CryptoSuite.INTL, sealBytes);
    double sealSm = StorageBenchmark.sealingMBps(CryptoSuite.SM, sealBytes);
    TextTable t = TextTable.withHeaders("MB/s of plaintext", "intl (AES-256-GCM, SHA-256)", "sm (SM4-GCM, SM3)", "sm / intl");
    t.row("shard sealing + CID, one thread (" + (sealBytes >> 20) + " MiB)", mbps(sealIntl), mbps(sealSm), ratio(sealSm, sealIntl));
    t.row("publish (Arrow, seal, store)", mbps(intl.publishMBps()), mbps(sm.publishMBps()), ratio(sm.publishMBps(), intl.publishMBps()));
    t.row("read back (fetch, verify CID, open)", mbps(intl.readMBps()), mbps(sm.readMBps()), ratio(sm.readMBps(), intl.readMBps()));
    out.println();
    out.print(t.render());
  }

  static void ledger(LedgerBenchmark.Options options, LedgerBenchmark.Result intl, PrintStream out) {
    out.println();
    out.println("the same events under the national suite (SM2 signatures, SM3 Merkle tree):");
    LedgerBenchmark.Result sm = LedgerBenchmark.run(options.withSuite(CryptoSuite.SM), out);
    TextTable t = TextTable.withHeaders("per second", "intl (Ed25519, SHA-256)", "sm (SM2, SM3)", "sm / intl");
    t.row("signature verifications via VerifyingKey (all cores)", count(intl.verificationsViaCore()), count(sm.verificationsViaCore()),
        ratio(sm.verificationsViaCore(), intl.verificationsViaCore()));
    t.row("durable signed appends (embedded)", count(intl.embeddedAppends()), count(sm.embeddedAppends()), ratio(sm.embeddedAppends(), intl.embeddedAppends()));
    t.row("inclusion proofs generated and verified", count(intl.proofsGeneratedAndVerified()), count(sm.proofsGeneratedAndVerified()),
        ratio(sm.proofsGeneratedAndVerified(), intl.proofsGeneratedAndVerified()));
    out.println();
    out.print(t.render());
  }

  private static String mbps(double v) {
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  private static String count(double v) {
    return String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ratio(double sm, double intl) {
    return String.format(Locale.ROOT, "%.2f", sm / intl);
  }
}
