package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Verifies a ledger offline, as an auditor would: every entry's signature against its organisation's registered key,",
      "the hash chain, the Merkle root against the signed checkpoint, and the lawful lifecycle of every job.",
      "Exits 0 when it verifies; otherwise names the first bad entry and exits 1."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;

  static final class Source {
    @Option(names = "--ledger", paramLabel = "DIR", description = "An embedded ledger directory (default: <data-dir>/ledger).")
    Path ledger;

    @Option(names = "--export", paramLabel = "FILE", description = "A ledger export file (JSON Lines) from 'covenant ledger export' or the demo.")
    Path export;
  }

  @ArgGroup(exclusive = true)
  Source source;

  @Option(names = "--log-key", paramLabel = "HEX",
      description = {"The operator's log key (64 hex digits) to pin. Without it, verify trusts the key in the checkpoint,",
          "and someone able to rewrite the whole ledger could re-sign it; auditors should record the key once and pin it."})
  String logKey;

  @Override
  public Integer call() {
    LedgerExport export;
    String what;
    if (source != null && source.export != null) {
      if (!Files.isRegularFile(source.export)) throw new CovenantException("no ledger export at " + source.export + "; check the path");
      export = LedgerExport.read(source.export);
      what = source.export.toString();
    } else {
      Path dir = source != null && source.ledger != null ? source.ledger : dataDir.path().resolve("ledger");
      if (!Files.isDirectory(dir)) {
        throw new CovenantException("no ledger at " + dir + "; run './covenant demo' first, or pass --ledger DIR or --export FILE");
      }
      export = LedgerExport.ofLedgerDirectory(dir);
      what = dir.toString();
    }
    VerificationReport report = logKey == null
        ? LedgerVerifier.verify(export)
        : LedgerVerifier.verify(export, io.covenant.core.crypto.VerifyingKey.parse(logKey));
    System.out.println("Ledger: " + what);
    System.out.println("log key: " + export.checkpoint().logKey().hex() + (logKey == null ? " (not pinned: pass --log-key to pin it)" : " (pinned)"));
    System.out.print(TextTable.withHeaders("entries", "jobs", "checkpoint size", "checkpoint root")
        .row(report.entries(), report.jobs(), export.checkpoint().treeSize(), export.checkpoint().rootHash().hex())
        .render());
    if (report.ok()) {
      System.out.println("verified");
      return 0;
    }
    var f = report.failure().orElseThrow();
    System.out.println("FAILED: " + f.reason());
    return 1;
  }
}
