package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.ConsistencyProof;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.anchor.AnchoredLedger;
import io.covenant.ledger.verify.LedgerExport;
import io.covenant.ledger.witness.CosigningRound;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    description = "Exports the audit ledger, signs and has witnesses cosign its checkpoint, and proves entries and growth (RFC 9162).",
    subcommands = {LedgerCommand.Export.class, LedgerCommand.Checkpoint.class, LedgerCommand.Prove.class})
final class LedgerCommand extends CommandGroup {

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Writes the whole ledger as JSON Lines for 'covenant verify --export FILE'.",
          "The file holds the latest checkpoint, the earlier and the witnessed checkpoints, then every entry; "
          + "it appears complete or not at all."})
  static final class Export implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the export (replaced if it exists).")
    Path out;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        d.ledger().checkpoint(); // so the export's latest checkpoint covers every entry
        LedgerExport export = LedgerExport.ofLedgerDirectory(d.ledgerDir());
        Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".partial");
        export.write(tmp);
        try {
          Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new CovenantException("cannot write the export to " + out + ": " + e.getMessage(), e);
        }
        System.out.print(TextTable.withHeaders("file", "entries", "checkpoints", "witnessed checkpoints")
            .row(out, export.entries().size(), export.history().size() + 1, export.witnessed().size()).render());
      }
      return 0;
    }
  }

  @Command(name = "checkpoint", mixinStandardHelpOptions = true,
      description = {"Signs a checkpoint of the ledger and has the witnesses cosign it.",
          "The consortium's witnesses that run in this deployment each first check that the log only grew since "
          + "they last cosigned; with --ledger anchored=... the checkpoint is also anchored on chain. --out saves "
          + "it for 'verify --since FILE' later. Exits 1 when a witness refuses, naming why."})
  static final class Checkpoint implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--out", paramLabel = "FILE", description = "Also save the cosigned checkpoint (JSON) to FILE: an auditor keeps it for 'verify --since'.")
    Path out;

    @Option(names = "--request-from", paramLabel = "SIZE",
        description = "Also write a cosigning request for a standalone witness that last cosigned SIZE entries (0 if never) "
            + "to --request-out, for 'covenant witness cosign --request FILE'.")
    Long requestFrom;

    @Option(names = "--request-out", paramLabel = "FILE", description = "Where --request-from writes the request.")
    Path requestOut;

    @Option(names = "--add-cosigned", paramLabel = "FILE",
        description = "Records a cosigned checkpoint a standalone witness wrote ('covenant witness cosign --out FILE'), "
            + "after checking it is of this log.")
    Path addCosigned;

    @Override
    public Integer call() {
      if ((requestFrom == null) != (requestOut == null)) throw new MalformedInputException("--request-from and --request-out go together");
      try (LocalDeployment d = dataDir.open()) {
        if (addCosigned != null) return addCosigned(d);
        Map<String, String> refusals = Map.of();
        CosignedCheckpoint cp;
        if (d.consortium().isPresent()) {
          CosigningRound.Outcome round = d.cosignCheckpoint();
          cp = round.checkpoint();
          refusals = round.refusals();
        } else {
          cp = new CosignedCheckpoint(d.ledger().checkpoint(), java.util.List.of());
        }
        String anchored = "-";
        if (d.ledger() instanceof AnchoredLedger a) {
          anchored = a.anchorNow().map(x -> "block " + x.blockNumber()).orElse("-");
          if (a.lastAnchorFailure().isPresent()) anchored = "failed: " + a.lastAnchorFailure().get().getMessage();
        }
        SignedCheckpoint c = cp.checkpoint();
        System.out.print(TextTable.withHeaders("entries", "root", "signed at", "log key", "cosigned by", "anchored")
            .row(c.treeSize(), c.rootHash().hex(), c.at(), c.logKey().shortForm() + "…",
                cp.cosignatures().isEmpty() ? "-" : String.join(", ", cp.cosignatures().stream().map(x -> x.witness()).toList()), anchored)
            .render());
        if (d.consortium().isEmpty()) System.out.println("no consortium.json in " + d.dataDir() + ": nobody but the operator vouches for this checkpoint");
        if (out != null) {
          writeAtomically(out, cp.toJson().encode() + "\n");
          System.out.println("saved to " + out + "; later run: covenant verify --since " + out);
        }
        if (requestFrom != null) {
          writeAtomically(requestOut, Json.obj("checkpoint", c.toJson(), "proof", d.ledger().proveConsistency(requestFrom, c.treeSize()).toJson()).encode() + "\n");
          System.out.println("cosigning request from " + requestFrom + " entries written to " + requestOut);
        }
        refusals.forEach((w, why) -> System.out.println("REFUSED by " + w + ": " + why));
        return refusals.isEmpty() ? 0 : 1;
      }
    }

    private int addCosigned(LocalDeployment d) {
      CosignedCheckpoint cp = VerifyCommand.readKept(addCosigned);
      SignedCheckpoint now = d.ledger().checkpoint();
      SignedCheckpoint c = cp.checkpoint();
      if (!c.logKey().equals(now.logKey()) || !c.verify()) throw new IntegrityException(addCosigned + " holds a checkpoint not signed by this ledger's log key; nothing recorded");
      if (c.treeSize() > now.treeSize() || !d.ledger().proveConsistency(c.treeSize(), now.treeSize()).verify(c.rootHash(), now.rootHash())) {
        throw new IntegrityException(addCosigned + " holds a checkpoint of " + c.treeSize() + " entries that this ledger does not extend; nothing recorded");
      }
      for (var x : cp.cosignatures()) {
        if (!x.verifies(c)) throw new IntegrityException("the cosignature by " + x.witness() + " in " + addCosigned + " does not verify; nothing recorded");
      }
      CosigningRound.record(d.ledgerDir(), cp);
      System.out.println("recorded the checkpoint of " + c.treeSize() + " entries cosigned by "
          + String.join(", ", cp.cosignatures().stream().map(x -> x.witness()).toList()));
      return 0;
    }
  }

  @Command(name = "prove", mixinStandardHelpOptions = true,
      description = {"Prints an RFC 9162 inclusion or consistency proof as JSON.",
          "--entry I [--size N] proves that entry I is in the tree of the first N entries; --from M --to N "
          + "proves that the tree of M entries is a prefix of the tree of N entries. The proof is checked before "
          + "it is printed."})
  static final class Prove implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    static final class Which {
      @ArgGroup(exclusive = false) Inclusion inclusion;
      @ArgGroup(exclusive = false) Consistency consistency;
    }

    static final class Inclusion {
      @Option(names = "--entry", paramLabel = "I", required = true, description = "The entry to prove included.") long entry;
      @Option(names = "--size", paramLabel = "N", description = "The tree size to prove it in (default: the ledger's size).") Long size;
    }

    static final class Consistency {
      @Option(names = "--from", paramLabel = "M", required = true, description = "The older tree size.") long from;
      @Option(names = "--to", paramLabel = "N", description = "The newer tree size (default: the ledger's size).") Long to;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Which which;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        Ledger l = d.ledger();
        long n = l.size();
        if (which.inclusion != null) {
          long size = which.inclusion.size == null ? n : which.inclusion.size;
          InclusionProof p = l.proveInclusion(which.inclusion.entry, size);
          LedgerEntry e = l.entries(which.inclusion.entry, which.inclusion.entry + 1).get(0);
          var rootAtSize = rootOf(d, size);
          if (!p.verify(e.leafHash(), rootAtSize)) throw new IntegrityException("the inclusion proof for entry " + e.index() + " does not verify; audit the ledger with 'covenant verify'");
          System.out.println(Json.obj("entry", e.index(), "type", e.event().event().type().name(), "leafHash", e.leafHash().hex(), "treeSize", size,
              "rootHash", rootAtSize.hex(), "proof", p.toJson()).encode());
        } else {
          long to = which.consistency.to == null ? n : which.consistency.to;
          ConsistencyProof p = l.proveConsistency(which.consistency.from, to);
          var oldRoot = rootOf(d, which.consistency.from);
          var newRoot = rootOf(d, to);
          if (!p.verify(oldRoot, newRoot)) throw new IntegrityException("the consistency proof does not verify; audit the ledger with 'covenant verify'");
          System.out.println(Json.obj("oldSize", p.oldSize(), "oldRoot", oldRoot.hex(), "newSize", p.newSize(), "newRoot", newRoot.hex(), "proof", p.toJson()).encode());
        }
      }
      return 0;
    }

    /** The Merkle root of the first {@code size} entries, computed from the entries themselves. */
    private static io.covenant.core.crypto.Digest rootOf(LocalDeployment d, long size) {
      if (size < 0 || size > d.ledger().size()) {
        throw new MalformedInputException("tree size " + size + " is not between 0 and the ledger's size " + d.ledger().size());
      }
      var tree = new io.covenant.ledger.merkle.MerkleTree();
      for (long from = 0; from < size; from += 4096) {
        for (LedgerEntry e : d.ledger().entries(from, Math.min(size, from + 4096))) tree.append(e.leafHash());
      }
      return tree.root();
    }
  }

  static void writeAtomically(Path file, String text) {
    Path tmp = file.toAbsolutePath().resolveSibling(file.getFileName() + ".partial");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CovenantException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
