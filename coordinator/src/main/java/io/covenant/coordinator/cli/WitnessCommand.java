package io.covenant.coordinator.cli;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.Cosignature;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.SignedCheckpoint;
import io.covenant.ledger.witness.Witness;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "witness",
    mixinStandardHelpOptions = true,
    description = {"Runs a transparency-log witness of a Covenant ledger for a party other than the operator.",
        "A witness keeps the latest checkpoint it cosigned and cosigns a new one only if the log grew from it "
        + "(C2SP tlog-witness semantics; see docs/ledger.md)."},
    subcommands = {WitnessCommand.Init.class, WitnessCommand.Show.class, WitnessCommand.Cosign.class})
final class WitnessCommand extends CommandGroup {

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Creates a witness with a new Ed25519 key for the log with the given log key.",
          "It prints the line to add to the consortium configuration. A directory that already holds a witness "
          + "is left untouched."})
  static final class Init implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The witness's own directory (its key and memory).") Path dir;
    @Option(names = "--name", paramLabel = "NAME", required = true, description = "The name it cosigns under, as the consortium lists it.") String name;
    @Option(names = "--log-key", paramLabel = "HEX", required = true, description = "The operator's log key (64 hex digits) of the log to witness.") String logKey;

    @Override
    public Integer call() {
      Witness w = Witness.create(dir, name, VerifyingKey.parse(logKey));
      System.out.print(TextTable.withHeaders("witness", "public key", "follows log key", "directory").row(w.name(), w.publicKey().hex(), w.logKey().shortForm() + "…", dir).render());
      System.out.println("consortium entry: " + Json.obj("name", w.name(), "key", w.publicKey().hex()).encode());
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the witness's name, public key and the latest checkpoint it cosigned.")
  static final class Show implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The witness's directory.") Path dir;

    @Override
    public Integer call() {
      Witness w = Witness.open(dir);
      var latest = w.latest();
      System.out.print(TextTable.withHeaders("witness", "public key", "latest cosigned size", "root", "signed at")
          .row(w.name(), w.publicKey().hex(), w.latestSize(), latest.map(c -> c.rootHash().shortForm() + "…").orElse("-"),
              latest.map(c -> c.at().toString()).orElse("-"))
          .render());
      return 0;
    }
  }

  @Command(name = "cosign", mixinStandardHelpOptions = true,
      description = {"Cosigns a checkpoint if the log only grew since this witness last cosigned.",
          "The request holds a checkpoint and the RFC 9162 consistency proof from the size this witness last "
          + "cosigned, as 'covenant ledger checkpoint --request-from SIZE --request-out FILE' writes it. The "
          + "witness records the checkpoint and writes it, cosigned, to --out. A fork, rollback or foreign log is "
          + "refused, naming why, and exits 1."})
  static final class Cosign implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", required = true, description = "The witness's directory.") Path dir;
    @Option(names = "--request", paramLabel = "FILE", required = true, description = "The request: {\"checkpoint\":{...},\"proof\":{...}}.") Path request;
    @Option(names = "--out", paramLabel = "FILE", required = true, description = "Where to write the cosigned checkpoint for the operator.") Path out;

    @Override
    public Integer call() {
      Witness w = Witness.open(dir);
      Json.JObject req;
      try {
        req = Json.parseObject(java.nio.file.Files.readString(request));
      } catch (java.io.IOException e) {
        throw new CovenantException("cannot read the cosigning request " + request + ": " + e.getMessage(), e);
      }
      SignedCheckpoint cp = SignedCheckpoint.fromJson(req.object("checkpoint"));
      var proof = io.covenant.ledger.ConsistencyProof.fromJson(req.object("proof"));
      Cosignature c = w.cosign(cp, proof);
      LedgerCommand.writeAtomically(out, new CosignedCheckpoint(cp, List.of(c)).toJson().encode() + "\n");
      System.out.println("cosigned the checkpoint of " + cp.treeSize() + " entries as " + w.name() + "; wrote " + out);
      return 0;
    }
  }
}
