package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one of the peers that {@code ./covenant bench he|psi|fl} put beside our figures (issue 19): a Python script in
 * the repository's {@code .ci/bench-peers/}, in the project-local virtual environment {@code .ci/venv.sh} creates from
 * the pinned {@code .ci/bench-peers/requirements.txt} (git-ignored, under {@code .ci/cache/}, installed from PyPI on
 * first use and reused afterwards). The peer reads the data the bench wrote to files, so both sides compute on the same
 * numbers, and prints its figures as {@code covenant-peer KEY VALUE} lines ({@code peer_output.py}); what else it
 * prints goes to this process's standard error as progress.
 */
final class PeerRun {
  private PeerRun() {}

  static final String LINE_PREFIX = "covenant-peer ";

  /** What the peers are run from: the repository's scripts and the virtual environment's Python. */
  record Environment(Path scripts, Path python) {}

  /** The figures a peer printed, by key. */
  record Figures(String peer, Map<String, String> values) {
    String text(String key) {
      String v = values.get(key);
      if (v == null) throw new CovenantException(peer + " printed no figure '" + key + "' (it printed " + values.keySet() + "): the peer script and the bench disagree");
      return v;
    }

    double number(String key) {
      try {
        return Double.parseDouble(text(key));
      } catch (NumberFormatException e) {
        throw new CovenantException(peer + " printed '" + text(key) + "' for " + key + ", which is not a number", e);
      }
    }
  }

  /** The figures in a peer's standard output: every {@code covenant-peer KEY VALUE} line, other lines ignored. */
  static Map<String, String> parse(List<String> lines) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines) {
      if (!line.startsWith(LINE_PREFIX)) continue;
      String rest = line.substring(LINE_PREFIX.length()).strip();
      int space = rest.indexOf(' ');
      if (space <= 0) throw new CovenantException("a peer printed a figure line without a value: '" + line + "'");
      values.put(rest.substring(0, space), rest.substring(space + 1).strip());
    }
    return values;
  }

  /** The repository holding {@code .ci/bench-peers/}: the launcher's folder, else the nearest one up from here. */
  static Path repository() {
    String launcher = System.getenv("COVENANT_LAUNCHER");
    List<Path> tried = new ArrayList<>();
    if (launcher != null && !launcher.isBlank()) tried.add(Path.of(launcher).toAbsolutePath().getParent());
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) tried.add(p);
    for (Path p : tried) {
      if (p != null && Files.isRegularFile(p.resolve(".ci/bench-peers/requirements.txt")) && Files.isRegularFile(p.resolve(".ci/venv.sh"))) return p;
    }
    throw new CovenantException("the peers run from the repository's .ci/bench-peers/, which is not beside the launcher nor above "
        + Path.of("").toAbsolutePath() + ": run ./covenant from a clone of the repository, or add --no-peer to measure Covenant alone");
  }

  /** Creates or reuses the peers' virtual environment ({@code .ci/venv.sh bench-peers ...}). */
  static Environment environment(PrintStream progress) {
    Path repo = repository();
    progress.println("peers: the pinned Python peers in .ci/cache/venv-bench-peers (installed from PyPI on first use, a minute or two) ...");
    List<String> out = run(List.of("bash", repo.resolve(".ci/venv.sh").toString(), "bench-peers", repo.resolve(".ci/bench-peers/requirements.txt").toString()),
        repo, Duration.ofMinutes(20), "creating the peers' virtual environment (.ci/venv.sh bench-peers .ci/bench-peers/requirements.txt)");
    Path venv = Path.of(out.isEmpty() ? "" : out.getLast().strip());
    Path python = venv.resolve("bin/python");
    if (!Files.isExecutable(python)) throw new CovenantException(".ci/venv.sh named " + venv + ", which has no bin/python; delete that folder and run the bench again");
    return new Environment(repo.resolve(".ci/bench-peers"), python);
  }

  /** Runs {@code script} with {@code args} in the peers' environment and returns the figures it printed. */
  static Figures run(Environment env, String peer, String script, List<String> args, Duration timeout) {
    List<String> command = new ArrayList<>(List.of(env.python().toString(), "-u", env.scripts().resolve(script).toString()));
    command.addAll(args);
    return new Figures(peer, parse(run(command, env.scripts(), timeout, peer + " (.ci/bench-peers/" + script + ")")));
  }

  private static List<String> run(List<String> command, Path dir, Duration timeout, String what) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().put("FLWR_TELEMETRY_ENABLED", "0");
    pb.environment().put("PYTHONWARNINGS", "ignore");
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CovenantException(what + " could not start: " + e.getMessage() + "; add --no-peer to measure Covenant alone", e);
    }
    List<String> lines = new ArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (lines) {
            lines.add(line);
          }
        }
      } catch (IOException ignored) {
        // the process ended or was killed: what was read is what there is
      }
    });
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new CovenantException(String.format(Locale.ROOT, "%s did not finish within %d minutes and was stopped; add --no-peer to measure Covenant alone", what,
            timeout.toMinutes()));
      }
      reader.join();
    } catch (InterruptedException e) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CovenantException(what + " was interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new CovenantException(what + " failed with exit code " + p.exitValue() + " (its messages are above); add --no-peer to measure Covenant alone");
    }
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** A figure of ours divided by the peer's, as the comparison tables print it ("Covenant ÷ peer"). */
  static String ratio(double ours, double theirs) {
    if (!(theirs > 0) || !Double.isFinite(ours)) return "-";
    double q = ours / theirs;
    if (q >= 100) return String.format(Locale.ROOT, "%,.0f", q);
    if (q >= 10) return String.format(Locale.ROOT, "%.1f", q);
    return String.format(Locale.ROOT, q >= 0.1 ? "%.2f" : "%.2g", q);
  }
}
