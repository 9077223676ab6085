package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "desk",
    mixinStandardHelpOptions = true,
    description = {
      "Acts for an organisation at its running node ('./covenant node'): the node, which alone holds the organisation's",
      "keys, carries out each action and signs it. The desk is a Unix socket in the node's folder, so these commands run on",
      "the node's host by whoever may read that folder. For the embedded deployment, use the dataset, policy and job commands."
    },
    subcommands = {DeskCommand.Publish.class, DeskCommand.PublishPolicy.class, DeskCommand.Revoke.class, DeskCommand.Decide.class,
        DeskCommand.Submit.class, DeskCommand.Result.class, DeskCommand.Trail.class, DeskCommand.Audit.class, DeskCommand.HeModel.class})
final class DeskCommand extends CommandGroup {

  static final class NodeOption {
    @Option(names = "--node", required = true, paramLabel = "DIR", description = "The node's folder (its --data-dir).")
    Path dir;
  }

  private static Json.JObject ask(Path node, Json.JObject request) {
    return (Json.JObject) NodeDesk.ask(node, request);
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Encrypts a CSV or Parquet file on the node's host into a new version of a dataset and publishes it from the node.")
  static final class Publish implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV or Parquet file, on the node's host.")
    Path file;

    @Option(names = "--name", paramLabel = "NAME", description = "Dataset name (default: the file name without extension).")
    String name;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) throw new CovenantException("no file at " + file + "; give the path of a CSV or Parquet file");
      String n = name != null ? name : file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase().replace(' ', '-');
      Json.JObject d = ask(node.dir, Json.obj("op", "publish-file", "file", file.toAbsolutePath().toString(), "name", n));
      System.out.print(TextTable.withHeaders("dataset", "rows", "shards", "manifest CID").maxCellWidth(100)
          .row(d.string("dataset"), d.number("rows"), d.number("shards"), d.string("manifest")).render());
      return 0;
    }
  }

  @Command(name = "policy", mixinStandardHelpOptions = true,
      description = "Publishes a policy file for one of the organisation's datasets: the node keeps its own copy, signs it on the ledger, then the coordinator puts it in force.")
  static final class PublishPolicy implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "FILE", description = "The policy (JSON; see docs/policy-language.md).")
    Path file;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file)) throw new CovenantException("no policy file at " + file);
      Json.JObject p = ask(node.dir, Json.obj("op", "publish-policy", "policy", Files.readString(file)));
      System.out.print(TextTable.withHeaders("dataset", "policy", "hash").row(p.string("dataset"), p.string("policy"), p.string("hash")).render());
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes the policy in force for one of the organisation's datasets; no key is released under it from then on.")
  static final class Revoke implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "DATASET", description = "The dataset, owner/name.")
    String dataset;

    @Option(names = "--reason", required = true, description = "Why, in words, for the ledger.")
    String reason;

    @Override
    public Integer call() {
      Json.JObject p = ask(node.dir, Json.obj("op", "revoke-policy", "dataset", dataset, "reason", reason));
      System.out.println("revoked " + p.string("policy") + " (" + p.string("hash").substring(0, 16) + "…) of " + p.string("dataset"));
      return 0;
    }
  }

  @Command(name = "decide", mixinStandardHelpOptions = true,
      description = "Approves or rejects the use of one of the organisation's datasets in a job that awaits its approval.")
  static final class Decide implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Parameters(index = "1", paramLabel = "DATASET", description = "The dataset, owner/name.")
    String dataset;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    static final class Choice {
      @Option(names = "--approve", description = "Approve the use.") boolean approve;
      @Option(names = "--reject", description = "Reject the use.") boolean reject;
    }

    @Option(names = "--note", defaultValue = "", description = "A note for the ledger.")
    String note;

    @Override
    public Integer call() {
      Json.JObject o = ask(node.dir, Json.obj("op", "decide", "job", job, "dataset", dataset, "approve", choice.approve, "note", note));
      System.out.println("job " + o.string("job") + " is now " + o.string("state"));
      return 0;
    }
  }

  @Command(name = "submit", mixinStandardHelpOptions = true,
      description = {"Submits a job file as the organisation (its consumer must be the node's organisation); the node signs it. The file is",
          JobFile.FORM_TEXT})
  static final class Submit implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "JOB-FILE", description = "The job file.")
    Path file;

    @Override
    public Integer call() {
      JobFile f = JobFile.read(file);
      Json.JObject o = ask(node.dir, Json.obj("op", "submit", "datasets", f.datasets(), "engine", f.engine().wireName(), "purpose", f.purpose().value(),
          "computation", f.computation().toJson()));
      System.out.print(TextTable.withHeaders("job", "state", "result hash").row(o.string("job"), o.string("state"), o.string("resultHash", "-")).render());
      for (Json r : o.array("reasons")) System.out.println("  - " + ((Json.JString) r).value());
      return "COMMITTED".equals(o.string("state")) || "AWAITING_APPROVAL".equals(o.string("state")) ? 0 : 1;
    }
  }

  @Command(name = "result", mixinStandardHelpOptions = true,
      description = "Opens a job's result at the consumer's node (sealed to its key; the hash is checked against the ledger) and prints it.")
  static final class Result implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Override
    public Integer call() {
      Json.JObject r = ask(node.dir, Json.obj("op", "result", "job", job));
      System.out.print(r.string("table"));
      if (r.has("precision")) System.out.println("precision: " + r.string("precision"));
      return 0;
    }
  }

  @Command(name = "he-model", mixinStandardHelpOptions = true,
      description = {"Stores a scoring model at the consumer's node for he-score jobs; its weights never leave the node in the clear.",
          "The file is {\"weights\": [W1, ...], \"bias\": B, \"featureScales\": [S1, ...]}, one weight per feature column the job names, in",
          "that order; each S (default 1) is the largest |value| expected in that column. The scales are public: the job's probe rows are drawn",
          "within them and reach the data owner in the clear. A model whose score can leave the range CKKS holds over them is refused."})
  static final class HeModel implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "MODEL-FILE", description = "The model file, on the node's host.")
    Path file;

    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The name jobs give the model (lower-case letters, digits, '.', '_', '-').")
    String name;

    @Override
    public Integer call() throws IOException {
      if (!Files.isRegularFile(file)) throw new CovenantException("no model file at " + file + "; give a JSON file {\"weights\": [...], \"bias\": B}");
      Json.JObject m = Json.parseObject(Files.readString(file));
      Json.JObject o = ask(node.dir, Json.obj("op", "he-model", "name", name, "weights", m.members().get("weights"), "bias", m.decimal("bias"),
          m.has("featureScales") ? "featureScales" : "featureScale", m.has("featureScales") ? m.members().get("featureScales")
              : m.has("featureScale") ? m.decimal("featureScale") : java.math.BigDecimal.ONE));
      System.out.print(TextTable.withHeaders("model", "weights").row(o.string("model"), o.number("weights")).render());
      return 0;
    }
  }

  @Command(name = "trail", mixinStandardHelpOptions = true, description = "Prints a job's audit trail from the node's own verified copy of the log.")
  static final class Trail implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Parameters(index = "0", paramLabel = "JOB", description = "The job id.")
    String job;

    @Override
    public Integer call() {
      System.out.print(ask(node.dir, Json.obj("op", "trail", "job", job)).string("table"));
      return 0;
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true,
      description = "Verifies the node's own copy of the log as an auditor does, and shows the verifier catching an edited copy.")
  static final class Audit implements Callable<Integer> {
    @picocli.CommandLine.Mixin NodeOption node = new NodeOption();

    @Override
    public Integer call() {
      Json.JObject a = ask(node.dir, Json.obj("op", "audit"));
      System.out.print(TextTable.withHeaders("entries", "jobs", "verdict").row(a.number("entries"), a.number("jobs"),
          a.bool("ok") ? "verified" : "FAILED: " + a.string("failure", "?")).render());
      System.out.println("tamper test on an exported copy: " + a.string("tamper", "no result to tamper with"));
      return a.bool("ok") ? 0 : 1;
    }
  }
}
