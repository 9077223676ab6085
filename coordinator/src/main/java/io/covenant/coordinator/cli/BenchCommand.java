package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.bench.LedgerBenchmark;
import io.covenant.storage.bench.StorageBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {"Measures Covenant against a baseline run in the same JVM, and prints ratios.",
        "Results and the commands that produced them are recorded in docs/benchmarks.md."},
    subcommands = {BenchCommand.Storage.class, BenchCommand.Ledger.class, BenchCommand.Policies.class, BenchCommand.Cli.class,
        BenchCommand.Db.class, BenchCommand.He.class, BenchCommand.Tee.class, BenchCommand.Mpc.class, BenchCommand.Psi.class,
        BenchCommand.Fl.class, BenchCommand.Processes.class, BenchCommand.Vehicles.class, BenchUbiPricingCommand.class})
final class BenchCommand extends CommandGroup {

  static final String PEER_HELP = "Run the peer on the same data after ours and print both side by side; --no-peer measures Covenant alone. The first "
      + "run installs the pinned peers from PyPI into .ci/cache/venv-bench-peers (default: on).";

  static Path workDir(Path given) {
    try {
      return given != null ? Files.createDirectories(given) : Files.createTempDirectory("covenant-bench");
    } catch (IOException e) {
      throw new CovenantException("cannot create the benchmark's work directory: " + e.getMessage(), e);
    }
  }

  @Command(name = "storage", mixinStandardHelpOptions = true,
      description = {"Publishes and reads back a synthetic dataset (Arrow -> AES-256-GCM shards -> CIDv1 blocks on local disk) and",
          "compares both with raw AES-256-GCM + SHA-256 over the same bytes. Run with COVENANT_JAVA_OPTS=-Xmx512m to show",
          "that a 1 GB dataset streams in a small heap.",
          "With --suite sm it runs under both crypto suites in the same process (SM4-GCM shards addressed by SM3 beside AES-256-GCM",
          "and SHA-256) and prints shard sealing, publish and read MB/s for each with the ratio of the national suite to the international one."})
  static final class Storage implements Callable<Integer> {
    @picocli.CommandLine.Mixin SuiteOption suite;

    @Option(names = "--size", defaultValue = "1g", description = "Dataset size: e.g. 256m, 1g (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the blocks go (default: a temporary directory; deleted afterwards).")
    Path dir;

    @Override
    public Integer call() {
      var chosen = suite.suite();
      long bytes = StorageBenchmark.parseSize(size);
      StorageBenchmark.Result r = StorageBenchmark.run(bytes, workDir(dir), System.out);
      System.out.print(r.table());
      if (chosen.isNational()) SuiteComparison.storage(bytes, workDir(dir), r, System.out);
      return 0;
    }
  }

  @Command(name = "he", mixinStandardHelpOptions = true,
      description = {"Runs the homomorphic-encryption engine (Microsoft SEAL in its Node.js sidecar, installed on first use) as",
          "in-process parties: an insurer's encrypted logistic model scored on a data owner's rows, and an encrypted aggregate",
          "over several owners, each against the same computation in plaintext in this JVM. It also times single SEAL operations",
          "at CKKS N=8192 against the native-SEAL figures of issue 15. Unless --no-peer is given, TenSEAL (native SEAL) then runs the same",
          "scoring and aggregates on the same data and parameters, and a table puts its figures beside ours."})
  static final class He implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "100000", description = "Rows the data owner scores (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--features", defaultValue = "20", description = "Features per row (default: ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--owners", defaultValue = "10", description = "Owners in the encrypted aggregate (default: ${DEFAULT-VALUE}).")
    int owners;

    @Option(names = "--length", defaultValue = "4096", description = "Values in each owner's aggregate vector (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--repeats", defaultValue = "30", description = "Repeats of each single operation (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true", description = PEER_HELP)
    boolean peer;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the data for the peer goes (default: a new temporary directory, kept for a rerun of the peer by hand).")
    Path dir;

    @Override
    public Integer call() {
      PeerRun.Environment env = peer ? PeerRun.environment(System.err) : null; // before ours: a peer that cannot install fails at once
      java.util.Map<String, Double> ours = new java.util.LinkedHashMap<>();
      System.out.print(HeBenchmark.run(rows, features, owners, length, repeats, System.err, ours));
      if (peer) System.out.print("\n" + HePeer.compare(env, rows, features, owners, length, ours, workDir(dir), System.err));
      return 0;
    }
  }

  @Command(name = "psi", mixinStandardHelpOptions = true,
      description = {"Private set intersection between two in-process parties (threads of this JVM joined by in-process links that",
          "copy every frame), KKRT16 and ECDH-PSI side by side on sets that share half their ids, against a plaintext hash join",
          "of the same ids in the same run. Prints time, bytes sent, bytes per id and ids per second per core. Unless --no-peer is given,",
          "OpenMined's ECDH PSI then intersects the same ids at both sizes, and a table puts its figures beside ours."})
  static final class Psi implements Callable<Integer> {
    @Option(names = "--size", defaultValue = "100000", description = "Ids on each side for KKRT16 and the baseline, e.g. 1000000 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--ecdh-size", defaultValue = "20000",
        description = "Ids on each side for ECDH-PSI, which costs a hash to the curve and three scalar multiplications per id and is about 200 "
            + "times slower per id than KKRT16 (default: ${DEFAULT-VALUE}).")
    int ecdhSize;

    @Option(names = "--threads", defaultValue = "2", description = "Worker threads of each party (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true", description = PEER_HELP)
    boolean peer;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the ids for the peer go (default: a new temporary directory, kept for a rerun of the peer by hand).")
    Path dir;

    @Option(names = "--across-nodes", description = "Also runs both protocols as intersect jobs between two organisation node processes (the "
        + "demo's deployment on loopback, mutual TLS), KKRT16 with --size and ECDH-PSI with --ecdh-size ids on each side, each timed from submit "
        + "to the result opened at the consumer's node.")
    boolean acrossNodes;

    @Override
    public Integer call() {
      int ecdh = ecdhSize;
      if (size < 2 || ecdh < 2 || threads < 1) throw new CovenantException("--size and --ecdh-size must be at least 2 and --threads at least 1");
      PeerRun.Environment env = peer ? PeerRun.environment(System.out) : null; // before ours: a peer that cannot install fails at once
      PsiBenchmark.Results results = PsiBenchmark.measure(size, ecdh, threads, System.out);
      System.out.print(PsiBenchmark.table(results).render());
      if (acrossNodes) {
        List<PsiBenchmark.Row> nodes = PsiBenchmark.acrossNodes(size, ecdh, workDir(dir).resolve("nodes"), System.out);
        TextTable t = TextTable.withHeaders("protocol (node processes)", "sizes", "time", "ids per second per core", "time vs in-process, same protocol",
            "time vs plaintext join");
        for (PsiBenchmark.Row r : nodes) {
          PsiBenchmark.Row inProcess = r.what().startsWith("KKRT16") ? results.kkrt() : results.ecdh();
          PsiBenchmark.Row join = r.what().startsWith("KKRT16") ? results.base() : results.baseEcdh();
          t.row(r.what(), String.format(java.util.Locale.ROOT, "%,d x %,d", r.receiverSize(), r.senderSize()), String.format(java.util.Locale.ROOT, "%.2f s", r.seconds()),
              String.format(java.util.Locale.ROOT, "%,.0f", 2.0 * r.receiverSize() / r.seconds() / Runtime.getRuntime().availableProcessors()),
              String.format(java.util.Locale.ROOT, "%.2fx", r.seconds() / inProcess.seconds()),
              String.format(java.util.Locale.ROOT, "%,.0fx", r.seconds() / join.seconds()));
        }
        System.out.print("\n" + t.render());
      }
      if (peer) System.out.print("\n" + PsiPeer.compare(env, results, workDir(dir), System.out));
      return 0;
    }
  }

  @Command(name = "cli", mixinStandardHelpOptions = true,
      description = {"Times whole commands (--help, job list, dataset list, job submit of the demo's query) as a person runs them:",
          "a plain 'java -jar' start as the baseline, the launcher with its class-data archive, and the launcher forwarding",
          "to a running 'serve'. Each figure is the median of several runs in one run of this command."})
  static final class Cli implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "3", description = "Runs of each command in each mode (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the demo's data goes (default: a new temporary directory, kept for inspection).")
    Path dir;

    @Override
    public Integer call() {
      if (runs < 1) throw new CovenantException("--runs must be at least 1");
      System.out.print(CliLatencyBenchmark.table(CliLatencyBenchmark.run(workDir(dir), runs, System.out)));
      return 0;
    }
  }

  @Command(name = "db", mixinStandardHelpOptions = true,
      description = {"Submissions per second with the coordinator's database embedded (H2) and on the PostgreSQL database given with",
          "--db, under the same number of concurrent clients, in one run: whole jobs of the demo's query, and the database's own",
          "share of a submission (record it, take the authorisation lock, read usage, debit and authorise). The PostgreSQL",
          "database must be empty; docs/benchmarks.md shows how to start a throw-away server for it."})
  static final class Db implements Callable<Integer> {
    @Option(names = "--db", required = true, paramLabel = "SPEC",
        description = "An empty PostgreSQL database: postgresql://HOST:PORT/DB?user=USER, optionally with &password-file=FILE (the "
            + "password is in that file or in COVENANT_DB_PASSWORD).")
    String db;

    @Option(names = "--clients", defaultValue = "50", description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--submissions", defaultValue = "300", description = "Timed job submissions on each database (default: ${DEFAULT-VALUE}).")
    int submissions;

    @Option(names = "--rows", defaultValue = "200", description = "Rows of each hospital's synthetic dataset (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the two data directories go (default: a new temporary directory).")
    Path dir;

    @Override
    public Integer call() {
      if (clients < 1 || submissions < 1 || rows < 1) throw new CovenantException("--clients, --submissions and --rows must be at least 1");
      var rowsOut = DatabaseBenchmark.run(new io.covenant.coordinator.deployment.DatabaseSpec(db), clients, submissions, rows, workDir(dir), System.out);
      System.out.print(DatabaseBenchmark.table(rowsOut, clients));
      return 0;
    }
  }

  @Command(name = "tee", mixinStandardHelpOptions = true,
      description = {"Runs the demo's statistics query over the three hospitals' synthetic claims at each size, as a whole TEE job",
          "(sealed shards decrypted in the simulated enclave, noise and cohort rule, sealed result) and as the same SQL in the same",
          "DuckDB on plaintext in this JVM, and prints the times and their ratio. Then, on a hospital's claims, an insurer's policies",
          "and its tier table, a three-way join and a gradient-boosted model trained on the joined rows, each as a TEE job and on",
          "plaintext. The enclave here is simulated: no hardware isolation."})
  static final class Tee implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "1m,10m", paramLabel = "SIZES",
        description = "Total rows across the three hospitals, comma-separated, e.g. 1m,10m or 200000 (default: ${DEFAULT-VALUE}).")
    String rows;

    @Option(names = "--runs", defaultValue = "1", description = "Timed runs of each side per size, after one warm-up run (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--join-rows", defaultValue = "1000000", paramLabel = "N",
        description = "Claims and policies (one per member) of the join and training jobs; 0 leaves them out (default: ${DEFAULT-VALUE}).")
    int joinRows;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the sealed datasets go (default: a new temporary directory).")
    Path dir;

    @Override
    public Integer call() {
      List<Long> sizes = TeeBenchmark.parseSizes(rows);
      if (runs < 1) throw new CovenantException("--runs must be at least 1");
      if (joinRows != 0 && joinRows < 1000) throw new CovenantException("--join-rows must be 0 or at least 1000, got " + joinRows);
      Path work = workDir(dir);
      System.out.print(TeeBenchmark.table(TeeBenchmark.run(sizes, runs, work, System.out)));
      if (joinRows > 0) System.out.print(TeeJoinBenchmark.table(TeeJoinBenchmark.run(joinRows, runs, work, System.out)));
      return 0;
    }
  }

  @Command(name = "mpc", mixinStandardHelpOptions = true,
      description = {"Runs the MPC engine's three parties as threads of this process, over in-memory queues, then over TCP and over",
          "mutual TLS 1.3 on the loopback interface, and compares each figure with the same computation in plaintext in this JVM: 64-bit",
          "multiplications and comparisons per second, a GROUP BY of a million rows, and vertical logistic regression (time,",
          "messages, bytes and accuracy). The parties share this machine's cores, so the figures are not those of three hosts.",
          "No peer runs beside it: CrypTen does not install here (docs/benchmarks.md says why)."})
  static final class Mpc implements Callable<Integer> {
    @Option(names = "--vector", defaultValue = "1048576", description = "Elements per multiplication and comparison batch (default: ${DEFAULT-VALUE}).")
    int vector;

    @Option(names = "--group-rows", defaultValue = "1000000", description = "Rows of the GROUP BY (default: ${DEFAULT-VALUE}).")
    int groupRows;

    @Option(names = "--lr-rows", defaultValue = "100000", description = "Rows of the logistic regression (default: ${DEFAULT-VALUE}).")
    int lrRows;

    @Option(names = "--lr-features", defaultValue = "20", description = "Features of the logistic regression (default: ${DEFAULT-VALUE}).")
    int lrFeatures;

    @Option(names = "--epochs", defaultValue = "1", description = "Training epochs of the logistic regression (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "128", description = "Rows per SGD batch (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--malicious", description = {"Instead, times the malicious-secure mode's small computation (a global count, sum and mean of the",
        "demo hospitals' claims) in SPDZ with MASCOT preprocessing, beside the semi-honest engine and plaintext in the same run; it takes minutes."})
    boolean malicious;

    @Option(names = "--malicious-rows", defaultValue = "0", description = "Claims per hospital for --malicious (default: the demo's sizes).")
    int maliciousRows;

    @Override
    public Integer call() {
      if (malicious) {
        System.out.print(MaliciousMpcBenchmark.table(MaliciousMpcBenchmark.run(maliciousRows, System.out)));
        return 0;
      }
      var options = new MpcBenchmark.Options(vector, groupRows, lrRows, lrFeatures, new io.covenant.mpc.model.SgdSchedule(epochs, batch, 0.5));
      System.out.print(MpcBenchmark.table(MpcBenchmark.run(options, System.out)));
      return 0;
    }
  }

  @Command(name = "fl", mixinStandardHelpOptions = true,
      description = {"Times federated rounds of the readmission MLP (about 100,000 parameters) with 5 and 20 hospitals, all",
          "in-process parties on this machine: plain FedAvg as the baseline and FedAvg with secure aggregation (Bonawitz et al.",
          "2017) in the same run. Prints the median round's wall time and CPU time, the bytes one hospital sends per round, and",
          "the ratios of secure to plain. Unless --no-peer is given, Flower then runs FedAvg with the same model, data and hospital counts",
          "(its server and each hospital a process, over gRPC on loopback), and a table puts its round times beside ours."})
  static final class Fl implements Callable<Integer> {
    @Option(names = "--hospitals", split = ",", defaultValue = "5,20", description = "Hospital counts to run (default: ${DEFAULT-VALUE}).")
    int[] hospitals;

    @Option(names = "--parameters", defaultValue = "100000", description = "Approximate model size in parameters (default: ${DEFAULT-VALUE}).")
    int parameters;

    @Option(names = "--rows", defaultValue = "1000", description = "Patients per hospital, trained on for one local epoch per round (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds per pass in each mode (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--repeats", defaultValue = "2",
        description = "Passes; the modes alternate and the median round over all passes is reported (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--peer", negatable = true, defaultValue = "true", fallbackValue = "true", description = PEER_HELP)
    boolean peer;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the data for the peer goes (default: a new temporary directory, kept for a rerun of the peer by hand).")
    Path dir;

    @Override
    public Integer call() {
      for (int h : hospitals) if (h < 2) throw new CovenantException("--hospitals takes counts of at least 2, e.g. 5,20");
      PeerRun.Environment env = peer ? PeerRun.environment(System.out) : null; // before ours: a peer that cannot install fails at once
      List<FlBenchmark.Row> ours = FlBenchmark.run(hospitals, parameters, rows, rounds, repeats, System.out);
      System.out.print(FlBenchmark.table(ours, rows));
      if (peer) System.out.print("\n" + FlPeer.compare(env, ours, rows, rounds * repeats, workDir(dir), System.out));
      return 0;
    }
  }

  @Command(name = "policies", mixinStandardHelpOptions = true,
      description = {"Policy decisions per second (Cedar for who-may-do-what, our analysis for column rules, cohorts and budgets) over",
          "a realistic set of 50 datasets' policies and a fixed-seed request stream, on one and two threads, against the cost of",
          "parsing the SQL alone with JSqlParser in the same JVM."})
  static final class Policies implements Callable<Integer> {
    @Option(names = "--decisions", defaultValue = "200000", description = "Decisions to make (default: ${DEFAULT-VALUE}).")
    int decisions;

    @Override
    public Integer call() {
      io.covenant.policy.bench.PolicyBenchmark.run(decisions, System.out);
      return 0;
    }
  }

  @Command(name = "ledger", mixinStandardHelpOptions = true,
      description = {"Durable signed appends per second on the embedded ledger (concurrent appenders, group commit), Ed25519",
          "verification rates (the ceiling), Merkle proofs generated and verified per second, and optionally events per second",
          "through the EVM backend against a running node.",
          "With --suite sm it also runs under the national suite in the same process (SM2 signatures, SM3 Merkle tree) and prints",
          "signed appends per second for each suite with the ratio of the national suite to the international one."})
  static final class Ledger implements Callable<Integer> {
    @picocli.CommandLine.Mixin SuiteOption suite;

    @Option(names = "--events", defaultValue = "200000", description = "Events to append (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--appenders", defaultValue = "512", description = "Concurrent appenders (default: ${DEFAULT-VALUE}).")
    int appenders;

    @Option(names = "--evm-url", paramLabel = "URL", description = "An EVM node's JSON-RPC URL to measure the EVM backend too.")
    String evmUrl;

    @Option(names = "--evm-key", paramLabel = "HEX", description = "Private key of a funded account on that node (deploys the audit contract).")
    String evmKey;

    @Override
    public Integer call() {
      if ((evmUrl == null) != (evmKey == null)) throw new CovenantException("--evm-url and --evm-key go together");
      var chosen = suite.suite();
      if (chosen.isNational() && evmUrl != null) {
        throw new CovenantException("the EVM backend anchors 32-byte Ed25519 log keys only; measure --suite sm without --evm-url");
      }
      LedgerBenchmark.Options o = LedgerBenchmark.Options.defaults().withEvents(events).withAppenders(appenders);
      if (evmUrl != null) o = o.withEvm(evmUrl, evmKey);
      LedgerBenchmark.Result r = LedgerBenchmark.run(o, System.out);
      TextTable t = TextTable.withHeaders("measure", "per second", "ratio to the verification ceiling");
      t.row("Ed25519 verifications (all cores): the ceiling", String.format(java.util.Locale.ROOT, "%,.0f", r.verificationsCachedKey()), "1.00");
      t.row("durable signed appends (embedded)", String.format(java.util.Locale.ROOT, "%,.0f", r.embeddedAppends()),
          String.format(java.util.Locale.ROOT, "%.2f", r.embeddedAppends() / r.verificationsCachedKey()));
      t.row("inclusion proofs generated", String.format(java.util.Locale.ROOT, "%,.0f", r.proofsGenerated()), "");
      t.row("inclusion proofs generated and verified", String.format(java.util.Locale.ROOT, "%,.0f", r.proofsGeneratedAndVerified()), "");
      r.evmEvents().ifPresent(v -> t.row("events through the EVM backend", String.format(java.util.Locale.ROOT, "%,.1f", v), ""));
      System.out.print(t.render());
      if (chosen.isNational()) SuiteComparison.ledger(o, r, System.out);
      return 0;
    }
  }

  @Command(name = "processes", mixinStandardHelpOptions = true,
      description = {"Job latency of the demo's statistics query with every organisation in its own process on loopback (coordinator,",
          "TEE worker, three hospital nodes and the insurer's node over mutual TLS) against the same query in one JVM, both",
          "deployments set up by the demo and kept up for the run, the modes alternating job by job. Prints the median and the",
          "minimum of each mode and their ratio (the goal is 1.3 at most), where each job's time goes (from its ledger",
          "entries' timestamps), the CPU each mode used per timed job and how much of it was still JIT compilation (on Linux),",
          "and each process's start-up time. The defaults take about three minutes on two cores."})
  static final class Processes implements Callable<Integer> {
    @Option(names = "--runs", defaultValue = "20", description = "Timed jobs in each mode (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warm-ups", defaultValue = "400",
        description = "Untimed jobs in each mode before the timed ones, so that every process has compiled most of its share of the "
            + "work (default: ${DEFAULT-VALUE}; after 100, the six JVMs still spent a third of their CPU compiling). Give 1 to "
            + "measure freshly started processes. The hospitals publish a benchmark policy whose privacy budget pays for exactly "
            + "these jobs and the timed ones; the demo's own budget is not spent.")
    int warmUps;

    @Option(names = "--work-dir", paramLabel = "DIR",
        description = "A new folder for the two deployments (default: a new temporary directory, kept for inspection of the processes' logs).")
    Path dir;

    @Override
    public Integer call() {
      ProcessesBenchmark.requireRuns(runs, warmUps);
      System.out.print(ProcessesBenchmark.table(ProcessesBenchmark.run(runs, warmUps, workDir(dir), System.out)));
      return 0;
    }
  }

  @Command(name = "vehicles", mixinStandardHelpOptions = true,
      description = {"Measures the vehicle scenario: telemetry ingest (every device signature verified, records encrypted and stored as a",
          "dataset version) against verifying the same records' signatures alone in the same run, and the settlement of many",
          "owners (largest-remainder split, RFC 9162 Merkle tree, every owner's inclusion proof made and checked, proof size)."})
  static final class Vehicles implements Callable<Integer> {
    @Option(names = "--vehicles", defaultValue = "2000", description = "Vehicles whose telemetry is ingested (default: ${DEFAULT-VALUE}).")
    int vehicles;

    @Option(names = "--days", defaultValue = "30", description = "Days of driving per vehicle (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--owners", defaultValue = "10000", description = "Owners in the settlement (default: ${DEFAULT-VALUE}).")
    int owners;

    @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds of the ingest measurements; each figure is their median (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the benchmark's deployment goes (default: a new temporary directory).")
    Path dir;

    @Override
    public Integer call() {
      if (vehicles < 1 || days < 1 || owners < 1 || rounds < 1) throw new CovenantException("--vehicles, --days, --owners and --rounds must be at least 1");
      System.out.print(VehiclesBenchmark.run(workDir(dir), vehicles, days, owners, rounds, System.err));
      return 0;
    }
  }
}
