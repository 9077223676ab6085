package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.fl.FlJobSpec;
import io.covenant.mpc.fl.FlRoster;
import io.covenant.mpc.fl.InProcessFederation;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import io.covenant.mpc.fl.model.ModelKind;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.transport.PeerLink;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Federated rounds of the readmission MLP (about 100,000 parameters) with 5 and 20 hospitals, all in-process parties
 * on this machine's cores, each round run twice in the same JVM: plain FedAvg (updates sent to the aggregator in the
 * clear, in the same 64-bit fixed-point encoding) as the baseline, and FedAvg with secure aggregation (Bonawitz et
 * al. 2017). Reports the median round's wall time and the process's CPU time in it (every party's thread: steadier than
 * wall time on a shared machine), the bytes one hospital sends per round, and the ratios of secure to plain. The two
 * modes alternate for several passes and each figure is the median over all timed rounds of that mode.
 */
final class FlBenchmark {
  private FlBenchmark() {}

  record Row(int hospitals, int parameters, double plainSeconds, double secureSeconds, double plainCpuSeconds, double secureCpuSeconds, long plainBytes,
      long secureBytes) {}

  /** Hidden units that give the 13-feature readmission MLP about {@code parameters} parameters (h·13 + 2h + 1). */
  static int hiddenUnitsFor(int parameters) {
    return Math.max(1, (parameters - 1) / (ReadmissionScenario.FEATURES.size() + 2));
  }

  static List<Row> run(int[] hospitalCounts, int parameters, int rowsPerHospital, int rounds, int repeats, PrintStream progress) {
    if (rounds < 1 || repeats < 1 || rowsPerHospital < 10 || parameters < 100) {
      throw new CovenantException("--rounds ≥ 1, --repeats ≥ 1, --rows ≥ 10 and --parameters ≥ 100 are needed");
    }
    ModelKind model = new ModelKind.OneHiddenLayerMlp(hiddenUnitsFor(parameters));
    FlJobSpec base = FlJobSpec.fedAvg(model, rounds, 1, 0.05).withBatchSize(64);
    progress.println("warming up (two rounds of each mode with 5 hospitals, so that both modes' code is compiled before timing)...");
    measure(base.withRounds(2).withSecureAggregation(false), 5, rowsPerHospital, new Measured());
    measure(base.withRounds(2).withSecureAggregation(true), 5, rowsPerHospital, new Measured());
    List<Row> rows = new ArrayList<>();
    for (int n : hospitalCounts) {
      Measured plain = new Measured();
      Measured secure = new Measured();
      for (int rep = 1; rep <= repeats; rep++) {
        // Modes alternate, so that a burst of load from other processes falls on both rather than on one.
        progress.printf(Locale.ROOT, "%d in-process hospitals, pass %d of %d: %d rounds of plain FedAvg, then %d with secure aggregation...%n", n, rep,
            repeats, rounds, rounds);
        measure(base.withSecureAggregation(false), n, rowsPerHospital, plain);
        measure(base.withSecureAggregation(true), n, rowsPerHospital, secure);
      }
      rows.add(new Row(n, model.over(ReadmissionScenario.FEATURES.size()).parameterCount(), median(plain.wall), median(secure.wall), median(plain.cpu),
          median(secure.cpu), plain.bytes / plain.wall.size(), secure.bytes / secure.wall.size()));
    }
    return rows;
  }

  /** Per-round wall and CPU seconds of every timed round of one mode, and the bytes the first hospital sent in them. */
  private static final class Measured {
    final List<Double> wall = new ArrayList<>();
    final List<Double> cpu = new ArrayList<>();
    long bytes;
  }

  /** CPU time of the whole process (every party's thread): on a shared machine, steadier than wall time. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double median(List<Double> values) {
    double[] d = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
  }

  private static void measure(FlJobSpec spec, int n, int rowsPerHospital, Measured into) {
    List<OrgId> hospitals = new ArrayList<>();
    for (int i = 0; i < n; i++) hospitals.add(OrgId.of(String.format(Locale.ROOT, "hospital-%02d", i + 1)));
    FlRoster roster = new FlRoster(OrgId.of("aggregator"), hospitals);
    List<LabelledData> data = ReadmissionScenario.generate(11, n, rowsPerHospital);
    AtomicLong firstHospitalBytes = new AtomicLong();
    long[] last = {System.nanoTime(), processCpuNanos()};
    InProcessFederation.Run run = new InProcessFederation(spec, roster, data, Collections.nCopies(n, PrivacyBudget.unlimited()))
        .hospitalLinks((h, link) -> h.equals(hospitals.getFirst()) ? counting(link, firstHospitalBytes) : link)
        .onRound(r -> {
          long wall = System.nanoTime();
          long cpu = processCpuNanos();
          into.wall.add((wall - last[0]) / 1e9);
          into.cpu.add((cpu - last[1]) / 1e9);
          last[0] = wall;
          last[1] = cpu;
        })
        .run();
    if (!run.failures().isEmpty() || run.result().rounds().size() != spec.rounds()) {
      throw new CovenantException("the benchmark's federated run did not complete: " + run.failures() + " " + run.result().stoppedEarly().orElse(""));
    }
    into.bytes += firstHospitalBytes.get();
  }

  /** Counts the bytes a hospital sends (the frames' payloads, as a TLS link would carry them, less TLS's own overhead). */
  private static PeerLink counting(PeerLink inner, AtomicLong bytes) {
    return new io.covenant.mpc.transport.ForwardingPeerLink(inner) {
      @Override
      public void send(byte[] frame) {
        bytes.addAndGet(frame.length);
        delegate.send(frame);
      }
    };
  }

  static String table(List<Row> rows, int rowsPerHospital) {
    TextTable t = TextTable.withHeaders("hospitals (in-process parties)", "model parameters", "rows per hospital", "round, plain FedAvg (s)",
        "round, secure aggregation (s)", "time ratio", "CPU per round, plain (s)", "secure (s)", "CPU ratio", "bytes sent per hospital per round: plain",
        "secure", "bytes ratio");
    for (Row r : rows) {
      t.row(r.hospitals(), String.format(Locale.ROOT, "%,d", r.parameters()), rowsPerHospital, String.format(Locale.ROOT, "%.3f", r.plainSeconds()),
          String.format(Locale.ROOT, "%.3f", r.secureSeconds()), String.format(Locale.ROOT, "%.2f", r.secureSeconds() / r.plainSeconds()),
          String.format(Locale.ROOT, "%.2f", r.plainCpuSeconds()), String.format(Locale.ROOT, "%.2f", r.secureCpuSeconds()),
          String.format(Locale.ROOT, "%.2f", r.secureCpuSeconds() / r.plainCpuSeconds()),
          String.format(Locale.ROOT, "%,d", r.plainBytes()), String.format(Locale.ROOT, "%,d", r.secureBytes()),
          String.format(Locale.ROOT, "%.3f", (double) r.secureBytes() / r.plainBytes()));
    }
    return t.render();
  }
}
