package io.covenant.coordinator.cli;

import io.covenant.coordinator.catalogue.CoordinatorStore;
import io.covenant.coordinator.catalogue.UsageDebit;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.core.text.TextTable;
import io.covenant.policy.Policy;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.RootAllocator;

/**
 * Submissions per second with the coordinator's database embedded (H2) and on PostgreSQL, in one run, under the same
 * number of concurrent clients: whole jobs (signed submission, policy decision, usage debit, TEE run, result) and the
 * database's own share of a submission (record the job, take the authorisation lock, read usage, debit and authorise
 * in one transaction). Each side gets a fresh data directory with the demo's three hospitals, their datasets and
 * their policies (with a privacy budget large enough that no submission is denied).
 */
final class DatabaseBenchmark {
  private DatabaseBenchmark() {}

  /** One measure: submissions per second on each database. */
  record Row(String measure, double h2, double postgres) {}

  private record Side(double jobsPerSecond, double decisionsPerSecond) {}

  static List<Row> run(DatabaseSpec postgres, int clients, int submissions, int rows, Path workDir, PrintStream progress) {
    if (postgres.embedded()) throw new CovenantException("--db must name a PostgreSQL database to compare with the embedded one");
    progress.println("bench db: H2 (embedded), " + clients + " clients, " + submissions + " submissions...");
    Side h2 = side(DatabaseSpec.EMBEDDED, clients, submissions, rows, workDir.resolve("h2"), progress);
    progress.println("bench db: " + postgres.postgres().orElseThrow().describe() + ", same load...");
    Side pg = side(postgres, clients, submissions, rows, workDir.resolve("postgresql"), progress);
    return List.of(
        new Row("job submissions, end to end (policy, debit, TEE run, result)", h2.jobsPerSecond(), pg.jobsPerSecond()),
        new Row("database share: record, lock, read usage, debit, authorise", h2.decisionsPerSecond(), pg.decisionsPerSecond()));
  }

  static String table(List<Row> rows, int clients) {
    TextTable t = TextTable.withHeaders("measure (" + clients + " concurrent clients)", "H2 per second", "PostgreSQL per second", "PostgreSQL / H2");
    for (Row r : rows) {
      t.row(r.measure(), String.format(Locale.ROOT, "%,.1f", r.h2()), String.format(Locale.ROOT, "%,.1f", r.postgres()),
          String.format(Locale.ROOT, "%.2f", r.postgres() / r.h2()));
    }
    return t.render();
  }

  private static Side side(DatabaseSpec database, int clients, int submissions, int rows, Path dataDir, PrintStream progress) {
    try (LocalDeployment d = LocalDeployment.open(dataDir, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, database)) {
      if (!d.store().datasets().isEmpty() || !d.store().jobs().isEmpty()) {
        throw new CovenantException("the coordinator database " + database + " already holds datasets or jobs; give the benchmark an empty "
            + "database of its own (createdb), as it publishes the demo's datasets afresh");
      }
      List<DatasetVersion> versions = publishDemo(d, rows, submissions);
      var consumer = d.consumer(HospitalInsurerDemo.INSURER);
      Computation query = new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL);
      // Warm-up: the JIT, the connection and the caches, not timed.
      concurrently(clients, clients, i -> consumer.submit(versions, Engine.TEE, new Purpose("risk-model"), query));
      AtomicInteger committed = new AtomicInteger();
      double jobs = concurrently(clients, submissions, i -> {
        JobOutcome o = consumer.submit(versions, Engine.TEE, new Purpose("risk-model"), query);
        if (o.state() == JobState.COMMITTED) committed.incrementAndGet();
        else throw new CovenantException("benchmark job " + o.job() + " ended " + o.state() + ": " + o.reasons());
      });
      progress.println("bench db:   " + committed.get() + " jobs committed");

      CoordinatorStore store = d.store();
      List<Policy> policies = new ArrayList<>();
      for (DatasetVersion v : versions) policies.add(Policy.parse(store.currentPolicy(v.dataset()).orElseThrow().json()));
      int decisionRounds = submissions * 4;
      double decisions = concurrently(clients, decisionRounds, i -> {
        JobRequest r = new JobRequest(JobId.random(), HospitalInsurerDemo.INSURER, versions, Engine.TEE, new Purpose("risk-model"), query);
        store.insertJob(r, Instant.now());
        List<UsageDebit> debits = new ArrayList<>();
        try (var held = store.lockForAuthorisation()) {
          for (Policy p : policies) {
            store.usage(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), r.consumer());
            debits.add(new UsageDebit(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), r.consumer(), BigDecimal.ZERO));
          }
          store.authorize(r.id(), JobState.SUBMITTED, debits, Instant.now());
        }
      });
      return new Side(jobs, decisions);
    }
  }

  /** Publishes the demo's datasets and policies, each policy with budget for {@code submissions} and the warm-up. */
  static List<DatasetVersion> publishDemo(LocalDeployment d, int rows, int submissions) {
    for (var h : HospitalInsurerDemo.HOSPITALS) d.createOrganisation(h.org(), h.name(), Set.of(OrgRole.OWNER));
    d.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", Set.of(OrgRole.CONSUMER));
    List<DatasetVersion> versions = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), rows, h.costLevel(), 1024)) {
          versions.add(d.owner(h.org()).publish("claims", SyntheticClaims.SCHEMA, batches).version());
        }
        Map<String, Json> policy = new TreeMap<>(Json.parseObject(HospitalInsurerDemo.policyFor(h.org())).members());
        Map<String, Json> privacy = new TreeMap<>(((Json.JObject) policy.get("privacy")).members());
        privacy.put("epsilonTotal", Json.of(100_000));
        policy.put("privacy", new Json.JObject(privacy));
        d.owner(h.org()).publishPolicy(new Json.JObject(policy).encode());
      }
    }
    return versions;
  }

  private interface Work {
    void run(int i) throws Exception;
  }

  /** Runs {@code total} pieces of work on {@code clients} threads; returns pieces per second. */
  private static double concurrently(int clients, int total, Work work) {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      long start = System.nanoTime();
      List<Future<?>> futures = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        int n = i;
        futures.add(pool.submit(() -> {
          work.run(n);
          return null;
        }));
      }
      for (Future<?> f : futures) f.get();
      return total / ((System.nanoTime() - start) / 1e9);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("the database benchmark was interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) throw r;
      throw new CovenantException("a benchmark submission failed: " + c.getMessage(), c);
    } finally {
      pool.shutdownNow();
    }
  }
}
