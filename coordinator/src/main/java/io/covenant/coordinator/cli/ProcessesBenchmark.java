package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.coordinator.identity.ConsortiumCa;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Job latency of the demo's statistics query with every organisation in its own process on loopback (coordinator, TEE
 * worker, three hospital nodes and the insurer's node, mutual TLS between them: {@link ProcessDemo}) against the same
 * query in one JVM ({@link LocalDeployment} with {@link HospitalInsurerDemo}: today's in-process deployment), both set
 * up by running the demo once and kept up for the whole run. A timed job is the consumer's whole experience: submit,
 * wait for COMMITTED, open the sealed result. The modes alternate run by run, so that a burst of load on a shared
 * machine falls on both. It also reports each process's start-up time (launch to ready line) and splits each job's
 * time into phases from the timestamps of its own signed ledger entries, which both modes write alike.
 *
 * <p>After the demo, each hospital publishes a benchmark policy: the demo's terms with a privacy budget of exactly the
 * warm-up and timed jobs (epsilon 1 each), so the run spends none of the demo's budget and may be as long as asked.
 * Warm-up jobs are not timed: every process runs its share of a job's code a few times per job, so the first jobs of
 * six JVMs measure their JIT compilers as much as the deployment (a long-running deployment is warm). How much of the
 * timed jobs' CPU was still compilation is printed ({@link ProcessCpu}).
 */
final class ProcessesBenchmark {
  private ProcessesBenchmark() {}

  /** Timed or warm-up jobs per mode beyond which a run takes too long to be useful (a quarter to a second per job and mode). */
  static final int MAX_JOBS = 1000;

  /** The phases of one job, between the consumer's submit and its opened result, named by the ledger entries that bound them. */
  static final List<String> PHASES = List.of(
      "submit -> JOB_AUTHORIZED (signed request, policy decision, debit)",
      "JOB_AUTHORIZED -> COMPUTATION_STARTED (dispatch to the worker)",
      "COMPUTATION_STARTED -> last KEY_RELEASED (attestation checked, keys released by 3 owners)",
      "  per owner: COMPUTATION_STARTED -> its KEY_RELEASED (in-process asked in turn; processes all at once)",
      "last KEY_RELEASED -> RESULT_COMMITTED (query in the enclave, result committed)",
      "RESULT_COMMITTED -> result opened (answer, fetch, unseal, hash check)");

  /** One timed job: its id, wall time, and when the consumer started and finished it. */
  record Job(JobId job, double seconds, Instant started, Instant finished) {}

  /** One process's start-up: launch of its JVM to its ready line. */
  record Startup(String process, double seconds) {}

  record Result(int runs, int warmUps, List<Job> inProcess, List<Job> processes, double[] inProcessPhases, double[] processesPhases, List<Startup> startups,
      Optional<ProcessCpu> inProcessCpu, Optional<ProcessCpu> processesCpu, double loadBefore, double loadAfter, int cores, Path workDir) {}

  /** Refuses numbers of jobs that make no benchmark, before anything is created. */
  static void requireRuns(int runs, int warmUps) {
    if (runs < 1 || warmUps < 0 || runs + warmUps > MAX_JOBS) {
      throw new CovenantException("--runs must be 1 or more and --warm-ups 0 or more, " + MAX_JOBS + " jobs per mode at most together; got "
          + runs + " and " + warmUps);
    }
  }

  static Result run(int runs, int warmUps, Path workDir, PrintStream progress) {
    requireRuns(runs, warmUps);
    java.math.BigDecimal budget = HospitalInsurerDemo.PRIVACY_EPSILON_PER_QUERY.multiply(java.math.BigDecimal.valueOf(runs + warmUps));
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    Path inProcessDir = workDir.resolve("in-process");
    Path processesDir = workDir.resolve("processes");
    if (LocalDeployment.exists(inProcessDir) || java.nio.file.Files.exists(processesDir.resolve("topology.json"))) {
      throw new CovenantException(workDir + " already holds a benchmark's deployments, whose budgets are spent; give --work-dir a new folder");
    }
    progress.println("bench processes: the in-process demo (one JVM) in " + inProcessDir + " ...");
    var authority = DemoIdentity.createAndPin(inProcessDir, ConsortiumCa.defaultDir(inProcessDir));
    try (LocalDeployment d = LocalDeployment.open(inProcessDir, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED, Optional.of(authority))) {
      HospitalInsurerDemo.Outcome demo = new HospitalInsurerDemo(quiet).run(d);
      List<DatasetVersion> inProcessVersions = datasetsOf(d.ledger().entriesForJob(demo.statistics().job()));
      for (var h : HospitalInsurerDemo.HOSPITALS) d.owner(h.org()).publishPolicy(HospitalInsurerDemo.benchmarkPolicyFor(h.org(), budget));
      progress.println("bench processes: the demo with every organisation in its own process in " + processesDir + " ...");
      try (ProcessDemo.Running running = new ProcessDemo(quiet).run(processesDir)) {
        List<Startup> startups = new ArrayList<>();
        for (String name : List.of("coordinator", "worker")) {
          startups.add(new Startup(name, seconds(running.supervisor().startupTime(name).orElseThrow())));
        }
        for (var org : running.nodeDirs().keySet()) {
          startups.add(new Startup(org.value() + " node", seconds(running.supervisor().startupTime(org.value()).orElseThrow())));
        }
        Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
        for (var h : HospitalInsurerDemo.HOSPITALS) {
          NodeDesk.ask(running.nodeDirs().get(h.org()), Json.obj("op", "publish-policy", "policy", HospitalInsurerDemo.benchmarkPolicyFor(h.org(), budget)));
        }
        Timed inProcess = () -> inProcessJob(d, inProcessVersions);
        Timed processes = () -> processesJob(insurer, running.versions());
        progress.println("bench processes: " + warmUps + " warm-up and " + runs + " timed jobs in each mode, alternating ...");
        for (int i = 0; i < warmUps; i++) {
          inProcess.run();
          processes.run();
          if ((i + 1) % 10 == 0 && i + 1 < warmUps) progress.println("bench processes:   " + (i + 1) + " of " + warmUps + " warm-up jobs done");
        }
        List<Long> self = List.of(ProcessHandle.current().pid());
        List<Long> children = running.supervisor().children().stream().map(c -> c.process().pid()).toList();
        Optional<ProcessCpu> selfBefore = ProcessCpu.of(self);
        Optional<ProcessCpu> childrenBefore = ProcessCpu.of(children);
        List<Job> a = new ArrayList<>(); // in-process jobs
        List<Job> b = new ArrayList<>(); // processes jobs
        for (int i = 0; i < runs; i++) {
          if (i % 2 == 0) {
            a.add(inProcess.run());
            b.add(processes.run());
          } else {
            b.add(processes.run());
            a.add(inProcess.run());
          }
          progress.printf(Locale.ROOT, "bench processes:   run %d: in-process %.2f s, processes %.2f s%n", i + 1, a.getLast().seconds(), b.getLast().seconds());
        }
        Optional<ProcessCpu> inProcessCpu = selfBefore.flatMap(before -> ProcessCpu.of(self).map(after -> after.since(before)));
        Optional<ProcessCpu> processesCpu = childrenBefore.flatMap(before -> ProcessCpu.of(children).map(after -> after.since(before)));
        running.supervisor().requireAlive();
        List<LedgerEntry> coordinatorLog = LedgerExport.ofLedgerDirectory(processesDir.resolve("coordinator").resolve("ledger")).entries();
        double[] inPhases = medianPhases(a, job -> d.ledger().entriesForJob(job));
        double[] outPhases = medianPhases(b, job -> coordinatorLog.stream().filter(e -> e.event().event().job().filter(job::equals).isPresent()).toList());
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new Result(runs, warmUps, a, b, inPhases, outPhases, startups, inProcessCpu, processesCpu, loadBefore, loadAfter, Runtime.getRuntime().availableProcessors(), workDir);
      }
    }
  }

  private interface Timed {
    Job run();
  }

  /** The consumer's whole job in the one JVM: submit (signed, decided, run in the TEE, committed) and open the result. */
  private static Job inProcessJob(LocalDeployment d, List<DatasetVersion> versions) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    JobOutcome o = d.consumer(HospitalInsurerDemo.INSURER).submit(versions, Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
    if (o.state() != JobState.COMMITTED) throw new CovenantException("in-process benchmark job " + o.job() + " ended " + o.state() + ": " + o.reasons());
    if (d.consumer(HospitalInsurerDemo.INSURER).result(o.job()).rows().isEmpty()) throw new CovenantException("in-process benchmark job " + o.job() + " has no rows");
    return new Job(o.job(), (System.nanoTime() - t0) / 1e9, started, Instant.now());
  }

  /** The same through the insurer's own node: its desk submits over mutual TLS and opens the result it fetched. */
  private static Job processesJob(Path insurer, List<String> versions) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Json.JObject job = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "tee", "purpose", "risk-model",
        "sql", HospitalInsurerDemo.STATISTICS_SQL));
    if (!"COMMITTED".equals(job.string("state"))) {
      throw new CovenantException("benchmark job " + job.string("job") + " ended " + job.string("state") + ": " + job.members().get("reasons").encode());
    }
    Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", job.string("job")));
    if (result.number("rows") == 0) throw new CovenantException("benchmark job " + job.string("job") + " has no rows");
    return new Job(new JobId(job.string("job")), (System.nanoTime() - t0) / 1e9, started, Instant.now());
  }

  private static List<DatasetVersion> datasetsOf(List<LedgerEntry> jobEntries) {
    return jobEntries.stream().map(e -> e.event().event()).filter(e -> e instanceof AuditEvent.JobSubmitted)
        .map(e -> ((AuditEvent.JobSubmitted) e).datasets()).findFirst()
        .orElseThrow(() -> new CovenantException("the demo's statistics job has no JOB_SUBMITTED on the ledger"));
  }

  /** Each phase's median over the jobs, in seconds, from the timestamps of the job's own ledger entries. */
  private static double[] medianPhases(List<Job> jobs, java.util.function.Function<JobId, List<LedgerEntry>> entries) {
    List<double[]> each = jobs.stream().map(j -> phases(j, entries.apply(j.job()))).toList();
    double[] medians = new double[PHASES.size()];
    for (int p = 0; p < medians.length; p++) {
      int phase = p;
      medians[p] = median(each.stream().map(a -> a[phase]).toList());
    }
    return medians;
  }

  static double[] phases(Job job, List<LedgerEntry> entries) {
    Instant authorised = last(job, entries, AuditEvent.JobAuthorized.class);
    Instant started = last(job, entries, AuditEvent.ComputationStarted.class);
    Instant keys = last(job, entries, AuditEvent.KeyReleased.class);
    Instant committed = last(job, entries, AuditEvent.ResultCommitted.class);
    // Per owner: how long after the start its key was released (its KEY_RELEASED is signed with its ATTESTATION_VERIFIED,
    // and the two are appended as one batch, so there is no gap between them to show).
    List<Double> released = new ArrayList<>();
    for (LedgerEntry e : entries) {
      if (e.event().event() instanceof AuditEvent.KeyReleased) released.add(between(started, e.event().issuedAt()));
    }
    return new double[] {between(job.started(), authorised), between(authorised, started), between(started, keys), median(released),
        between(keys, committed), between(committed, job.finished())};
  }

  private static Instant last(Job job, List<LedgerEntry> entries, Class<? extends AuditEvent> type) {
    return entries.stream().filter(e -> type.isInstance(e.event().event())).map(e -> e.event().issuedAt()).max(Instant::compareTo)
        .orElseThrow(() -> new CovenantException("benchmark job " + job.job() + " has no " + type.getSimpleName() + " on the ledger"));
  }

  private static double between(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) throw new CovenantException("no timings to take the median of: a benchmark job left no ledger entries of that kind");
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double min(List<Job> jobs) {
    return jobs.stream().mapToDouble(Job::seconds).min().orElseThrow();
  }

  private static double medianOf(List<Job> jobs) {
    return median(jobs.stream().map(Job::seconds).toList());
  }

  static String table(Result r) {
    StringBuilder out = new StringBuilder();
    double inMedian = medianOf(r.inProcess());
    double outMedian = medianOf(r.processes());
    TextTable latency = TextTable.withHeaders("demo statistics job, submit to opened result", "timed jobs", "median s", "min s", "ratio to in-process (median)",
        "ratio (min)");
    latency.row("in-process: one JVM (today's embedded deployment)", r.runs(), f2(inMedian), f2(min(r.inProcess())), "1.00", "1.00");
    latency.row("processes: 6 JVMs on loopback, mutual TLS", r.runs(), f2(outMedian), f2(min(r.processes())), f2(outMedian / inMedian),
        f2(min(r.processes()) / min(r.inProcess())));
    out.append(latency.render()).append('\n');
    out.append(String.format(Locale.ROOT, "after %d untimed warm-up job%s per mode; goal: processes <= 1.3 x in-process; %s (median ratio %.2f)%n%n",
        r.warmUps(), r.warmUps() == 1 ? "" : "s", outMedian / inMedian <= 1.3 ? "met" : "missed",
        outMedian / inMedian));

    TextTable phases = TextTable.withHeaders("phase (median over the timed jobs, from the jobs' ledger timestamps)", "in-process s", "processes s", "difference s")
        .maxCellWidth(140);
    for (int p = 0; p < PHASES.size(); p++) {
      phases.row(PHASES.get(p), f2(r.inProcessPhases()[p]), f2(r.processesPhases()[p]), String.format(Locale.ROOT, "%+.2f", r.processesPhases()[p] - r.inProcessPhases()[p]));
    }
    out.append(phases.render()).append('\n');

    if (r.inProcessCpu().isPresent() && r.processesCpu().isPresent()) {
      // The modes alternate, so each figure also holds what its processes did while the other mode ran: the children's
      // cosigning rounds, and this JVM's side of the processes jobs (asking the insurer's node for each).
      TextTable cpu = TextTable.withHeaders("CPU during the timed jobs (Linux /proc)", "ms per job", "of it JIT compiler threads");
      for (var row : List.of(java.util.Map.entry("in-process: this JVM", r.inProcessCpu().get()),
          java.util.Map.entry("processes: the 6 child JVMs", r.processesCpu().get()))) {
        ProcessCpu c = row.getValue();
        cpu.row(row.getKey(), String.format(Locale.ROOT, "%.0f", 1000 * c.seconds() / r.runs()),
            c.seconds() > 0 ? String.format(Locale.ROOT, "%.0f %%", 100 * c.jitSeconds() / c.seconds()) : "-");
      }
      out.append(cpu.render()).append('\n');
    }

    TextTable startup = TextTable.withHeaders("process", "start-up s (JVM launch to ready line)");
    for (Startup s : r.startups()) startup.row(s.process(), f2(s.seconds()));
    List<Double> nodes = r.startups().stream().filter(s -> s.process().endsWith(" node")).map(Startup::seconds).collect(Collectors.toList());
    startup.row("median node (" + nodes.size() + ")", f2(median(nodes)));
    out.append(startup.render()).append('\n');
    out.append(String.format(Locale.ROOT, "machine: %d cores; load average (1 min) %.2f before, %.2f after; work directory %s%n", r.cores(), r.loadBefore(),
        r.loadAfter(), r.workDir()));
    return out.toString();
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
