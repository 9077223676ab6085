package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Wall-clock time of whole CLI commands as a person runs them, three ways, in one run on one data directory: a plain
 * {@code java -jar} start (the launcher before class-data sharing and the server daemon: the baseline), the launcher
 * with its class-data archive, and the launcher forwarding to a running {@code serve} ({@link CliDaemon}). Each figure
 * is the median of several runs of the same command; ratios are to the baseline.
 */
final class CliLatencyBenchmark {
  private final Path launcher;
  private final Path dataDir;
  private final int runs;
  private final PrintStream progress;

  private CliLatencyBenchmark(Path launcher, Path dataDir, int runs, PrintStream progress) {
    this.launcher = launcher;
    this.dataDir = dataDir;
    this.runs = runs;
    this.progress = progress;
  }

  /** One command's medians, in seconds. */
  record Row(String command, double plainJvm, double launcher, double served) {}

  static List<Row> run(Path workDir, int runs, PrintStream progress) {
    String launcherPath = System.getenv("COVENANT_LAUNCHER");
    if (launcherPath == null) {
      throw new CovenantException("run this benchmark through the launcher (./covenant bench cli): it times the launcher itself");
    }
    return new CliLatencyBenchmark(Path.of(launcherPath), workDir.resolve("data"), runs, progress).measure(workDir);
  }

  private List<Row> measure(Path workDir) {
    progress.println("preparing: the demo's data in " + dataDir + " ...");
    exec(List.of(launcher.toString(), "demo", "--in-process", "--data-dir", dataDir.toString()));
    Path job = workDir.resolve("statistics-job.json");
    try {
      Files.writeString(job, Json.obj(
          "consumer", HospitalInsurerDemo.INSURER.value(),
          "purpose", "risk-model",
          "engine", "tee",
          "datasets", HospitalInsurerDemo.HOSPITALS.stream().map(h -> h.org().value() + "/claims").toList(),
          "sql", HospitalInsurerDemo.STATISTICS_SQL).encode());
    } catch (IOException e) {
      throw new CovenantException("cannot write the benchmark's job file: " + e.getMessage(), e);
    }
    List<List<String>> commands = List.of(
        List.of("--help"),
        List.of("job", "list", "--data-dir", dataDir.toString()),
        List.of("dataset", "list", "--data-dir", dataDir.toString()),
        List.of("job", "submit", "--job", job.toString(), "--data-dir", dataDir.toString()));

    List<String> java = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    java.addAll(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 24) java.add("--sun-misc-unsafe-memory-access=allow");
    java.addAll(List.of("-jar", jar().toString()));

    double[][] plain = new double[commands.size()][];
    double[][] viaLauncher = new double[commands.size()][];
    double[][] served = new double[commands.size()][];
    for (int c = 0; c < commands.size(); c++) {
      progress.println("timing " + String.join(" ", commands.get(c).subList(0, Math.min(2, commands.get(c).size()))) + " ...");
      plain[c] = times(concat(java, commands.get(c)));
      viaLauncher[c] = times(concat(List.of(launcher.toString()), commands.get(c)));
    }
    Process server = startServer();
    try {
      for (int c = 0; c < commands.size(); c++) {
        // --help has no data directory to be served; it always starts a JVM.
        served[c] = c == 0 ? viaLauncher[c] : times(concat(List.of(launcher.toString()), commands.get(c)));
      }
    } finally {
      server.destroy();
      waitFor(server);
    }
    List<Row> rows = new ArrayList<>();
    for (int c = 0; c < commands.size(); c++) {
      rows.add(new Row(String.join(" ", commands.get(c).subList(0, Math.min(2, commands.get(c).size()))),
          median(plain[c]), median(viaLauncher[c]), median(served[c])));
    }
    return rows;
  }

  static String table(List<Row> rows) {
    TextTable t = TextTable.withHeaders("command", "java -jar (baseline)", "launcher + CDS", "ratio", "forwarded to serve", "ratio");
    for (Row r : rows) {
      t.row(r.command(), seconds(r.plainJvm()), seconds(r.launcher()), ratio(r.launcher() / r.plainJvm()),
          r.command().equals("--help") ? "(not forwarded)" : seconds(r.served()),
          r.command().equals("--help") ? "" : ratio(r.served() / r.plainJvm()));
    }
    return t.render();
  }

  private Process startServer() {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    } catch (IOException e) {
      throw new CovenantException("cannot find a free port for the server: " + e.getMessage(), e);
    }
    try {
      Process p = new ProcessBuilder(launcher.toString(), "serve", "--data-dir", dataDir.toString(), "--port", Integer.toString(port))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      Path socket = dataDir.resolve(CliDaemon.SOCKET_NAME);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(socket)) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          p.destroy();
          throw new CovenantException("the server did not open " + socket + " within 60 s; run './covenant serve' by hand to see why");
        }
        Thread.sleep(50);
      }
      return p;
    } catch (IOException e) {
      throw new CovenantException("cannot start the server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while starting the server", e);
    }
  }

  private double[] times(List<String> command) {
    double[] t = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      exec(command);
      t[i] = (System.nanoTime() - start) / 1e9;
    }
    return t;
  }

  private static void exec(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      int exit = waitFor(p);
      if (exit != 0) throw new CovenantException("'" + String.join(" ", command) + "' exited with " + exit + "; run it by hand to see why");
    } catch (IOException e) {
      throw new CovenantException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
    }
  }

  private static int waitFor(Process p) {
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroy();
      throw new CovenantException("interrupted while waiting for a command", e);
    }
  }

  private static Path jar() {
    try {
      return Path.of(CliLatencyBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new CovenantException("cannot locate the CLI's jar: " + e.getMessage(), e);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return v[v.length / 2];
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.2f s", s);
  }

  private static String ratio(double r) {
    return String.format(Locale.ROOT, "%.2f", r);
  }
}
