package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.evm.AuditContract;
import io.covenant.ledger.evm.EvmAddress;
import io.covenant.ledger.evm.EvmEndpoint;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {"Verifies a ledger offline, as an auditor would, and names the first entry that is wrong.",
        "It checks every entry's signature against its organisation's registered key (also the entries no "
        + "checkpoint covers yet), the hash chain, every checkpoint's Merkle root, the witnesses' quorum of "
        + "cosignatures, a checkpoint you kept from an earlier audit, chain anchors, and the lawful lifecycle "
        + "of every job. With --data-dir it also recomputes, under the consortium's suite, the hash of every policy text "
        + "the directory's owners keep and names a POLICY_PUBLISHED whose hash was made with the other suite. Exits 0 when it "
        + "verifies; otherwise names the first bad entry (or the checkpoint and the witnesses missing) and exits 1."})
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./covenant-data",
      description = "The data directory whose ledger (and consortium.json) to verify (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  static final class Source {
    @Option(names = "--ledger", paramLabel = "DIR", description = "An embedded ledger directory (default: <data-dir>/ledger).")
    Path ledger;

    @Option(names = "--export", paramLabel = "FILE", description = "A ledger export file (JSON Lines) from 'covenant ledger export'.")
    Path export;
  }

  @ArgGroup(exclusive = true)
  Source source;

  @Option(names = "--log-key", paramLabel = "HEX",
      description = "The operator's log key (64 hex digits) to pin. Without it (or a consortium file naming it), verify "
          + "trusts the key in the checkpoint, and someone able to rewrite the whole ledger could re-sign it; "
          + "record the key once and pin it.")
  String logKey;

  @Option(names = "--consortium", paramLabel = "FILE",
      description = "The consortium configuration (witnesses, their keys, the quorum, and the consortium's root certificate; see "
          + "docs/ledger.md). Some checkpoint must then carry cosignatures from a quorum of those witnesses, and, if it pins a root, "
          + "every organisation must be certified by that root. Default: "
          + "<data-dir>/consortium.json when verifying the data directory's ledger and it exists; an auditor "
          + "should keep its own copy and pass it, since the operator can edit the one in the data directory.")
  Path consortium;

  @Option(names = "--since", paramLabel = "FILE",
      description = "A checkpoint you kept from an earlier audit ('covenant ledger checkpoint --out FILE'), or an export you "
          + "verified then ('covenant ledger export'). Today's log must extend it (RFC 9162 consistency proof): a rollback or "
          + "a rewrite of anything it covered is named, and with an export, at its exact first entry.")
  Path since;

  @Option(names = "--anchors", paramLabel = "URL,contract=0x...",
      description = "Also check the log against every checkpoint anchored on the audit contract at that EVM node (e.g. "
          + "http://127.0.0.1:8545,contract=0x...).")
  String anchors;

  @Override
  public Integer call() {
    LedgerExport export;
    String what;
    boolean dataDirLedger = false;
    if (source != null && source.export != null) {
      if (!Files.isRegularFile(source.export)) throw new CovenantException("no ledger export at " + source.export + "; check the path");
      export = LedgerExport.read(source.export);
      what = source.export.toString();
    } else {
      Path dir = source != null && source.ledger != null ? source.ledger : dataDir.resolve("ledger");
      if (!Files.isDirectory(dir)) {
        throw new CovenantException("no ledger at " + dir + "; run './covenant demo' first, or pass --ledger DIR or --export FILE");
      }
      export = LedgerExport.ofLedgerDirectory(dir);
      what = dir.toString();
      dataDirLedger = source == null || source.ledger == null;
    }
    AuditorTrust trust = AuditorTrust.NONE;
    if (logKey != null) trust = trust.withLogKey(VerifyingKey.parse(logKey));
    Path consortiumFile = consortium != null ? consortium : dataDirLedger ? dataDir.resolve(LocalDeployment.CONSORTIUM_FILE) : null;
    boolean consortiumGiven = consortium != null;
    if (consortiumFile != null && (consortiumGiven || Files.exists(consortiumFile))) trust = trust.withConsortium(Consortium.read(consortiumFile));
    if (since != null) trust = withKept(trust, since);
    if (anchors != null) trust = trust.withAnchors(readAnchors());

    VerificationReport report = LedgerVerifier.verify(export, trust);
    System.out.println("Ledger: " + what);
    String pin = trust.logKey().isPresent() ? " (pinned by --log-key)"
        : trust.consortium().flatMap(Consortium::logKey).isPresent() ? " (pinned by the consortium file)"
        : " (not pinned: pass --log-key or --consortium to pin it)";
    System.out.println("log key: " + export.checkpoint().logKey().hex() + pin);
    trust.consortium().ifPresent(c -> System.out.println("consortium: " + consortiumFile + ", quorum " + c.quorum() + " of " + c.witnesses().size()
        + (consortiumGiven ? "" : " (read from the data directory: pass your own copy with --consortium)")));
    trust.consortium().flatMap(Consortium::root).ifPresent(r -> System.out.println("consortium root: " + r.name() + ", " + r.certificate().suite().hashAlgorithm() + " "
        + r.certificate().fingerprint().shortForm() + "… (every signer's certificate must chain to it, unexpired and unrevoked at its event)"));
    trust.suite().ifPresent(s -> System.out.println("crypto suite: " + s.id() + " (" + s.signatureAlgorithm() + ", " + s.hashAlgorithm()
        + "); an entry or checkpoint that claims another suite fails"));
    trust.since().ifPresent(k -> System.out.println("since: your checkpoint of " + k.checkpoint().treeSize() + " entries signed at " + k.checkpoint().at()));
    TextTable table = TextTable.withHeaders("entries", "jobs", "covered by a checkpoint", "not yet covered", "witnessed", "cosigned by");
    table.row(report.entries(), report.jobs(), report.checkpointed(), report.uncovered(),
        report.witnessed() < 0 ? "-" : report.witnessed(), report.cosigners().isEmpty() ? "-" : String.join(", ", report.cosigners()));
    System.out.print(table.render());
    if (!report.ok()) {
      System.out.println("FAILED: " + report.failure().orElseThrow().reason());
      return 1;
    }
    if (dataDirLedger) {
      var suite = trust.suite().orElse(export.entries().isEmpty() ? io.covenant.core.crypto.CryptoSuite.INTL : export.entries().get(0).suite());
      var otherSuite = RecomputedIdentifiers.firstMadeWithAnotherSuite(dataDir, export.entries(), suite);
      if (otherSuite.isPresent()) {
        System.out.println("FAILED: " + otherSuite.get());
        return 1;
      }
    }
    if (anchors != null) System.out.println("anchors: " + trust.anchors().size() + " checkpoints anchored on chain, each consistent with the log");
    if (report.uncovered() > 0) System.out.println(report.uncovered() + " entries after the latest checkpoint are signed and linked but no checkpoint vouches for them yet");
    if (report.witnessed() >= 0 && report.witnessed() < report.entries()) {
      System.out.println((report.entries() - report.witnessed()) + " entries are not witnessed yet: the operator alone vouches for them until 'covenant ledger checkpoint' runs");
    }
    System.out.println("verified");
    return 0;
  }

  private java.util.List<io.covenant.ledger.verify.ChainAnchor> readAnchors() {
    String[] parts = anchors.split(",");
    if (parts.length != 2 || !parts[1].startsWith("contract=")) {
      throw new MalformedInputException("--anchors '" + anchors + "' must be URL,contract=0x<40 hex>, e.g. http://127.0.0.1:8545,contract=0x...");
    }
    EvmAddress contract = EvmAddress.parse(parts[1].substring("contract=".length()));
    try (AuditContract c = AuditContract.at(EvmEndpoint.of(parts[0]), contract)) {
      return c.anchors();
    }
  }

  /**
   * Adds what the auditor kept: a checkpoint file, or a whole export it verified earlier. An export lends its leaves
   * too, so a rewrite of anything it covered is named at its exact first entry.
   */
  private static AuditorTrust withKept(AuditorTrust trust, Path file) {
    long lines;
    try (var s = Files.lines(file, StandardCharsets.UTF_8)) {
      lines = s.filter(l -> !l.isBlank()).limit(2).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new CovenantException("cannot read the kept checkpoint or export " + file + " (" + e.getMessage() + "); check the path");
    }
    if (lines < 2) return trust.withSince(readKept(file));
    LedgerExport old = LedgerExport.read(file);
    VerificationReport ownCheck = LedgerVerifier.verify(old);
    if (!ownCheck.ok()) {
      throw new io.covenant.core.error.IntegrityException("the export you kept, " + file + ", does not verify on its own (" + ownCheck.failure().orElseThrow().reason()
          + "); keep only exports that verified");
    }
    var cp = old.checkpoint();
    var cosigned = old.witnessed().stream().filter(w -> w.checkpoint().equals(cp)).findFirst().orElse(new CosignedCheckpoint(cp, java.util.List.of()));
    var leaves = old.entries().subList(0, (int) cp.treeSize()).stream().map(io.covenant.ledger.LedgerEntry::leafHash).toList();
    return trust.withSince(cosigned, leaves);
  }

  /** A kept checkpoint: the JSON 'ledger checkpoint --out' writes (a checkpoint, with or without cosignatures). */
  static CosignedCheckpoint readKept(Path file) {
    try {
      return CosignedCheckpoint.fromJson(Json.parseObject(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new CovenantException("cannot read the kept checkpoint " + file + " (" + e.getMessage() + "); save one with 'covenant ledger checkpoint --out FILE'");
    } catch (MalformedInputException e) {
      throw new MalformedInputException("the kept checkpoint " + file + " is not one 'covenant ledger checkpoint --out' wrote: " + e.getMessage(), e);
    }
  }
}
