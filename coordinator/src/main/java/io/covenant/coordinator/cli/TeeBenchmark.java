package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.text.TextTable;
import io.covenant.tee.compute.PlaintextBaseline;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.RootAllocator;

/**
 * The demo's statistics query (claims per ICD-10 chapter and age band, with mean cost) over the three hospitals'
 * synthetic claims at several sizes, in the TEE worker and in plaintext, in the same JVM.
 *
 * <ul>
 *   <li>TEE: a whole job through the embedded deployment, from submission to committed result: policy decision,
 *       attested key release per input, reading and decrypting the sealed shards from the block store, loading them
 *       into the enclave's DuckDB, the query with the demo policies' differential-privacy noise and cohort rule, and
 *       the sealed result. The worker runs in this JVM on simulated attestation (no hardware enclave here).
 *   <li>Plaintext: the same DuckDB (same settings and macros, {@link PlaintextBaseline}), loaded through the same
 *       Appender path from the same rows as plaintext Arrow batches (generating the rows is not timed), running the
 *       query as written. Reported as load + query and as the query alone.
 * </ul>
 *
 * Each figure is the median of {@code runs} runs after one untimed warm-up run of each side.
 */
final class TeeBenchmark {
  private TeeBenchmark() {}

  /** Seconds for one size. */
  record Row(long rows, double tee, double plainLoadAndQuery, double plainQuery) {}

  static List<Row> run(List<Long> sizes, int runs, Path workDir, PrintStream progress) {
    if (runs < 1) throw new CovenantException("--runs must be at least 1");
    List<Row> out = new ArrayList<>();
    for (long size : sizes) {
      if (size < 3 || size > 3L * Integer.MAX_VALUE) throw new CovenantException("--rows sizes must be between 3 and " + 3L * Integer.MAX_VALUE + ", got " + size);
      int perHospital = (int) ((size + 2) / 3);
      long total = 3L * perHospital;
      progress.printf(Locale.ROOT, "bench tee: %,d rows (%,d per hospital): publishing sealed datasets...%n", total, perHospital);
      double tee;
      try (LocalDeployment d = LocalDeployment.open(workDir.resolve("rows-" + total), BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED)) {
        List<DatasetVersion> versions = DatabaseBenchmark.publishDemo(d, perHospital, runs + 1);
        var consumer = d.consumer(HospitalInsurerDemo.INSURER);
        Computation query = new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL);
        double[] t = new double[runs];
        for (int i = -1; i < runs; i++) {
          progress.printf(Locale.ROOT, "bench tee: %,d rows: TEE job %s...%n", total, i < 0 ? "(warm-up)" : (i + 1) + " of " + runs);
          long start = System.nanoTime();
          JobOutcome o = consumer.submit(versions, Engine.TEE, new Purpose("risk-model"), query);
          long end = System.nanoTime();
          if (o.state() != JobState.COMMITTED) throw new CovenantException("benchmark job " + o.job() + " ended " + o.state() + ": " + o.reasons());
          if (i >= 0) t[i] = (end - start) / 1e9;
        }
        tee = BenchStats.median(t);
      }
      double[] load = new double[runs], plain = new double[runs];
      for (int i = -1; i < runs; i++) {
        progress.printf(Locale.ROOT, "bench tee: %,d rows: plaintext DuckDB %s...%n", total, i < 0 ? "(warm-up)" : (i + 1) + " of " + runs);
        double[] r = plaintext(perHospital);
        if (i >= 0) {
          load[i] = r[0] + r[1];
          plain[i] = r[1];
        }
      }
      out.add(new Row(total, tee, BenchStats.median(load), BenchStats.median(plain)));
    }
    return out;
  }

  /** Seconds to load the three hospitals' plaintext rows, and to run the query once loaded. */
  private static double[] plaintext(int perHospital) {
    long loadNanos = 0;
    try (PlaintextBaseline db = new PlaintextBaseline(); RootAllocator allocator = new RootAllocator()) {
      db.createTable("claims", SyntheticClaims.SCHEMA);
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        // The same generator, seeds, sizes and batch size as the published datasets, so both sides hold the same rows.
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), perHospital, h.costLevel(), 1024)) {
          while (batches.hasNext()) {
            var batch = batches.next();
            long start = System.nanoTime();
            db.append("claims", batch);
            loadNanos += System.nanoTime() - start;
          }
        }
      }
      db.lock();
      long start = System.nanoTime();
      long rows = db.query(HospitalInsurerDemo.STATISTICS_SQL);
      long queryNanos = System.nanoTime() - start;
      if (rows == 0) throw new CovenantException("the plaintext baseline query returned no rows; the benchmark data is wrong");
      return new double[] {loadNanos / 1e9, queryNanos / 1e9};
    }
  }

  static String table(List<Row> rows) {
    TextTable t = TextTable.withHeaders("rows", "TEE job (s)", "plaintext load + query (s)", "plaintext query (s)",
        "TEE / plaintext load + query", "TEE / plaintext query");
    for (Row r : rows) {
      t.row(String.format(Locale.ROOT, "%,d", r.rows()), String.format(Locale.ROOT, "%.2f", r.tee()),
          String.format(Locale.ROOT, "%.2f", r.plainLoadAndQuery()), String.format(Locale.ROOT, "%.3f", r.plainQuery()),
          String.format(Locale.ROOT, "%.2f", r.tee() / r.plainLoadAndQuery()), String.format(Locale.ROOT, "%.1f", r.tee() / r.plainQuery()));
    }
    return t.render() + "TEE: simulated enclave (no hardware isolation), worker in this JVM; whole job from submission to sealed result.\n";
  }

  static List<Long> parseSizes(String text) {
    List<Long> out = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.strip().toLowerCase(Locale.ROOT).replace("_", "");
      long factor = 1;
      if (p.endsWith("m")) {
        factor = 1_000_000;
        p = p.substring(0, p.length() - 1);
      } else if (p.endsWith("k")) {
        factor = 1_000;
        p = p.substring(0, p.length() - 1);
      }
      try {
        out.add(Math.multiplyExact(Long.parseLong(p), factor));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new CovenantException("--rows '" + text + "' is not a comma-separated list of row counts such as 1m,10m or 500000");
      }
    }
    return out;
  }

}
