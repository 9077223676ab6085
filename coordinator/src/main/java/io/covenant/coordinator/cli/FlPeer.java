package io.covenant.coordinator.cli;

import io.covenant.core.text.TextTable;
import io.covenant.mpc.fl.FlJobSpec;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import io.covenant.mpc.fl.model.ModelKind;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flower ({@code flwr}) FedAvg beside {@code ./covenant bench fl} (issue 19): the same hospitals' rows (the readmission
 * scenario, same seed), the same MLP and initial parameters, the same local training (one epoch, batch 64, learning
 * rate 0.05, written in numpy in the peer), the same hospital counts. Flower's server and every hospital are separate
 * processes talking gRPC over loopback ({@code .ci/bench-peers/fl_flower.py}); ours are in-process parties. The peer
 * runs as many timed rounds as our median is taken over (rounds × passes), after one warm-up round.
 */
final class FlPeer {
  private FlPeer() {}

  static final String PEER = "Flower";

  /** Flower's median round at one hospital count: wall seconds, CPU seconds of all its processes, bytes one hospital sent. */
  record PeerRow(int hospitals, double seconds, double cpuSeconds, long bytes) {}

  /** Writes one hospital count's data into {@code dir}: the initial parameters and each hospital's features and labels. */
  static void writeData(Path dir, int hospitals, int parameters, int rowsPerHospital) {
    ModelKind model = new ModelKind.OneHiddenLayerMlp(FlBenchmark.hiddenUnitsFor(parameters));
    FlJobSpec spec = FlJobSpec.fedAvg(model, 1, 1, 0.05);
    NpyFile.write(dir.resolve("initial-parameters.npy"), model.over(ReadmissionScenario.FEATURES.size()).initialParameters(spec.seed()));
    List<LabelledData> data = ReadmissionScenario.generate(11, hospitals, rowsPerHospital);
    for (int i = 0; i < hospitals; i++) {
      LabelledData d = data.get(i);
      double[][] rows = new double[d.rows()][d.featureCount()];
      for (int r = 0; r < d.rows(); r++) System.arraycopy(d.features().data, r * d.featureCount(), rows[r], 0, d.featureCount());
      NpyFile.write(dir.resolve(String.format(Locale.ROOT, "hospital-%02d-features.npy", i + 1)), rows);
      NpyFile.write(dir.resolve(String.format(Locale.ROOT, "hospital-%02d-labels.npy", i + 1)), d.labels());
    }
  }

  static String compare(PeerRun.Environment env, List<FlBenchmark.Row> ours, int rowsPerHospital, int timedRounds, Path dir, PrintStream progress) {
    List<PeerRow> rows = new ArrayList<>();
    String version = "";
    for (FlBenchmark.Row r : ours) {
      Path data = dir.resolve("fl-" + r.hospitals() + "-hospitals");
      try {
        Files.createDirectories(data);
      } catch (java.io.IOException e) {
        throw new io.covenant.core.error.CovenantException("cannot create " + data + " for the FL peer: " + e.getMessage(), e);
      }
      writeData(data, r.hospitals(), r.parameters(), rowsPerHospital);
      progress.printf(Locale.ROOT, "fl bench: %s with %d hospital processes on the same data, %d timed rounds ...%n", PEER, r.hospitals(), timedRounds);
      PeerRun.Figures f = PeerRun.run(env, PEER, "fl_flower.py", List.of("server", "--hospitals", Integer.toString(r.hospitals()), "--rounds",
          Integer.toString(timedRounds), "--features", Integer.toString(ReadmissionScenario.FEATURES.size()), "--data", data.toString()), Duration.ofMinutes(60));
      version = f.text("flwr_version");
      String k = "fl." + r.hospitals();
      rows.add(new PeerRow(r.hospitals(), f.number(k + ".round_s"), f.number(k + ".cpu_s"), (long) f.number(k + ".bytes")));
    }
    return table(ours, rows, version);
  }

  static String table(List<FlBenchmark.Row> ours, List<PeerRow> peer, String version) {
    String p = PEER + " " + version;
    TextTable t = TextTable.withHeaders("hospitals", "round: Covenant plain FedAvg (s)", "Covenant secure aggregation (s)", p + " FedAvg (s)",
        "plain / " + PEER, "secure / " + PEER, "CPU per round: Covenant plain (s)", PEER + " (s)", "CPU plain / " + PEER,
        "bytes per hospital per round: Covenant plain", PEER);
    for (int i = 0; i < ours.size(); i++) {
      FlBenchmark.Row o = ours.get(i);
      PeerRow f = peer.get(i);
      t.row(o.hospitals(), String.format(Locale.ROOT, "%.3f", o.plainSeconds()), String.format(Locale.ROOT, "%.3f", o.secureSeconds()),
          String.format(Locale.ROOT, "%.3f", f.seconds()), PeerRun.ratio(o.plainSeconds(), f.seconds()), PeerRun.ratio(o.secureSeconds(), f.seconds()),
          String.format(Locale.ROOT, "%.2f", o.plainCpuSeconds()), String.format(Locale.ROOT, "%.2f", f.cpuSeconds()),
          PeerRun.ratio(o.plainCpuSeconds(), f.cpuSeconds()), String.format(Locale.ROOT, "%,d", o.plainBytes()), String.format(Locale.ROOT, "%,d", f.bytes()));
    }
    return "Side by side with " + PEER + " (in-process parties here; Flower's server and hospitals are processes over gRPC on loopback. "
        + "Covenant / " + PEER + ": above 1 means " + PEER + " is faster)\n" + t.render();
  }
}
