package io.covenant.coordinator.cli;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.schema.ColumnType;
import io.covenant.core.schema.Sensitivity;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.storage.dataset.DatasetExport;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.ShardRef;
import io.covenant.storage.dataset.SignedManifest;
import io.covenant.storage.importing.CsvImport;
import io.covenant.storage.importing.ParquetImport;
import io.covenant.storage.importing.TabularImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.RootAllocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "dataset",
    mixinStandardHelpOptions = true,
    description = "Publish, list, inspect, verify and export encrypted datasets.",
    subcommands = {
      DatasetCommand.Publish.class, DatasetCommand.ListDatasets.class, DatasetCommand.Inspect.class,
      DatasetCommand.Verify.class, DatasetCommand.Export.class
    })
final class DatasetCommand extends CommandGroup {

  /** {@code owner/name@v}, or {@code owner/name} for its latest version. */
  static DatasetRecord resolve(LocalDeployment d, String text) {
    DatasetVersion v = text.contains("@")
        ? DatasetVersion.parse(text)
        : new DatasetVersion(DatasetId.parse(text), Math.max(1, d.store().latestVersion(DatasetId.parse(text))));
    return d.store().dataset(v).orElseThrow(() -> new CovenantException(
        "dataset " + v + " is not published here; list what is with './covenant dataset list'"));
  }

  /** The DATASET argument of inspect, verify and export. */
  static final class DatasetArgument {
    @Parameters(paramLabel = "DATASET", description = "The dataset: owner/name@version, or owner/name for its latest version.")
    String text;
  }

  static String schemaTable(io.covenant.core.schema.DatasetSchema schema) {
    TextTable cols = TextTable.withHeaders("column", "type", "sensitivity");
    schema.columns().forEach(c -> cols.row(c.name(), c.type().wireName(), c.sensitivity().wireName()));
    return cols.render();
  }

  static SignedManifest manifest(LocalDeployment d, DatasetRecord r) {
    var owner = d.ledger().organisation(r.version().owner())
        .orElseThrow(() -> new CovenantException("the owner " + r.version().owner() + " is not registered on the ledger"));
    return new DatasetReader(d.blockstore()).manifest(r.manifest(), owner.signingKey());
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Encrypts a CSV or Parquet file as a new version of one of ORG's datasets and records DATASET_PUBLISHED. "
          + "Column types are inferred (int64, float64, date, string) unless given; columns without a sensitivity tag are "
          + "treated as sensitive. Nothing is registered unless the whole file imported and every shard was stored.")
  static final class Publish implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "FILE", description = "A CSV file (RFC 4180, header row) or a Parquet file (*.parquet).")
    Path file;

    @Option(names = "--owner", required = true, paramLabel = "ORG",
        description = "The owning organisation; it must exist here (create it with './covenant org create ORG --role owner').")
    String owner;

    @Option(names = "--name", paramLabel = "NAME", description = "Dataset name (default: the file name without extension).")
    String name;

    @Option(names = "--type", paramLabel = "COLUMN=TYPE", description = "Override an inferred type: int64, float64, string, date.")
    Map<String, String> types = new LinkedHashMap<>();

    @Option(names = "--sensitivity", paramLabel = "COLUMN=TAG",
        description = "Tag a column: identifier, quasi-identifier, sensitive (the default) or public. 'policy init' derives column rules from the tags.")
    Map<String, String> sensitivities = new LinkedHashMap<>();

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) throw new CovenantException("no file at " + file + "; give the path of a CSV or Parquet file");
      OrgId org = new OrgId(owner);
      String datasetName = name != null ? name : file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase().replace(' ', '-');
      TabularImport csv = file.getFileName().toString().toLowerCase().endsWith(".parquet") ? ParquetImport.from(file) : CsvImport.from(file);
      for (var t : types.entrySet()) csv = csv.withType(t.getKey(), ColumnType.parse(t.getValue()));
      for (var t : sensitivities.entrySet()) csv = csv.withSensitivity(t.getKey(), Sensitivity.parse(t.getValue()));
      try (LocalDeployment d = dataDir.open()) {
        d.keystore(org);
        System.out.println("importing " + file + " (checking every line before anything is stored) ...");
        var schema = csv.schema();
        DatasetRecord r;
        try (RootAllocator allocator = new RootAllocator(); var batches = csv.batches(allocator)) {
          r = d.owner(org).publish(datasetName, schema, batches);
        }
        System.out.print(TextTable.withHeaders("dataset", "rows", "shards", "manifest CID").maxCellWidth(100)
            .row(r.version(), r.rows(), r.shards(), r.manifest()).render());
        System.out.print(schemaTable(schema));
        System.out.println("published; next: './covenant policy init " + r.version().dataset() + " --assignee ORG --purpose P' "
            + "writes a starting policy (see docs/policy-language.md)");
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists published dataset versions: rows, shards, manifest CID. Never values.")
  static final class ListDatasets implements Callable<Integer> {
    @Mixin DataDirOption dataDir;
    @Mixin ServerOption server;

    @Override
    public Integer call() {
      if (server.given()) return RemoteCommands.listDatasets(server);
      try (LocalDeployment d = dataDir.open()) {
        TextTable t = TextTable.withHeaders("dataset", "owner", "rows", "shards", "published (UTC)", "manifest CID").maxCellWidth(100);
        for (DatasetRecord r : d.store().datasets()) {
          t.row(r.version(), r.version().owner(), r.rows(), r.shards(), TableTime.of(r.publishedAt()), r.manifest());
        }
        System.out.print(t.size() == 0 ? "no datasets published yet; try './covenant demo' or './covenant dataset publish FILE --owner ORG'\n" : t.render());
      }
      return 0;
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = "Shows a dataset's schema and shards (CIDs, rows, sizes) from its owner-signed manifest. Never values.")
  static final class Inspect implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Mixin DatasetArgument dataset;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        DatasetRecord r = resolve(d, dataset.text);
        SignedManifest m = manifest(d, r);
        System.out.println(r.version() + ": " + Plural.of(m.manifest().rows(), "row") + ", manifest " + r.manifest() + " (signature by "
            + r.version().owner() + " verified)");
        System.out.print(schemaTable(m.manifest().schema()));
        TextTable shards = TextTable.withHeaders("shard", "CID", "rows", "sealed bytes");
        for (ShardRef s : m.manifest().shards()) shards.row(s.index(), s.cid(), s.rows(), s.sealedBytes());
        System.out.print(shards.render());
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Checks a dataset without its key: the owner's signature on the manifest, and every shard present and "
          + "matching its CID. Exits 1 naming each missing or damaged shard and why.")
  static final class Verify implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Mixin DatasetArgument dataset;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        DatasetRecord r = resolve(d, dataset.text);
        SignedManifest m = manifest(d, r);
        TextTable t = TextTable.withHeaders("shard", "CID", "status");
        List<String> reasons = new java.util.ArrayList<>();
        int bad = 0;
        for (ShardRef s : m.manifest().shards()) {
          String status;
          try {
            d.blockstore().get(s.cid());
            status = "ok";
          } catch (CovenantException e) {
            // The table keeps one short word per shard; the full reason, which can be long, is printed whole below it.
            status = "BAD (see below)";
            reasons.add("shard " + s.index() + " (" + s.cid() + "): " + e.getMessage());
            bad++;
          }
          t.row(s.index(), s.cid(), status);
        }
        System.out.print(t.maxCellWidth(120).render());
        reasons.forEach(System.out::println);
        if (bad > 0) {
          System.out.println(r.version() + ": " + bad + " of " + Plural.of(m.manifest().shards().size(), "shard") + " missing or damaged");
          return 1;
        }
        int n = m.manifest().shards().size();
        System.out.println(r.version() + ": manifest signature and " + (n == 1 ? "its only shard" : "all " + n + " shards") + " verified");
      }
      return 0;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Decrypts a dataset to CSV for its owner only, with the owner's own key from its keystore.")
  static final class Export implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Mixin DatasetArgument dataset;

    @Option(names = "--owner", required = true, paramLabel = "ORG", description = "Who is exporting; must be the dataset's owner.")
    String owner;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the CSV (written atomically).")
    Path out;

    @Override
    public Integer call() {
      try (LocalDeployment d = dataDir.open()) {
        DatasetRecord r = resolve(d, dataset.text);
        d.requireOrganisation(new OrgId(owner));
        if (!r.version().owner().value().equals(owner)) {
          throw new CovenantException("only " + r.version().owner() + " may export " + r.version() + "; " + owner
              + " may compute on it only through a job its policy allows");
        }
        d.keystore(new OrgId(owner));
        var keystore = d.keystore(r.version().owner());
        var wrapped = keystore.wrappedKey(r.version()).orElseThrow(() -> new CovenantException(
            "the keystore of " + owner + " holds no key for " + r.version() + "; restore the keystore from backup"));
        DataKey key = keystore.kek().unwrap(wrapped, r.version().toString());
        try {
          long rows = new DatasetExport(d.blockstore()).toCsv(manifest(d, r), key, out);
          System.out.println("exported " + Plural.of(rows, "row") + " of " + r.version() + " to " + out);
        } finally {
          key.destroy();
        }
      }
      return 0;
    }
  }
}
