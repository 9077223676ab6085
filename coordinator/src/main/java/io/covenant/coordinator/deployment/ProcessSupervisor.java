package io.covenant.coordinator.deployment;

import io.covenant.core.error.CovenantException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the consortium's processes (coordinator, organisation nodes, TEE worker) as child JVMs of this one, each
 * running the same Covenant build with its own arguments: output to a log file per process, a start counted as done
 * only when the process prints its ready line, and every child stopped when this supervisor closes — on a clean end,
 * on a failure, and on Ctrl-C (a shutdown hook). A child that exits while it should be running is reported with the
 * end of its log.
 */
public final class ProcessSupervisor implements AutoCloseable {
  private static final String MAIN_CLASS = "io.covenant.coordinator.cli.CovenantCli";
  private final Path logDir;
  private final PrintStream out;
  private final List<Child> children = new ArrayList<>();
  private final java.util.Map<String, Duration> startupTimes = new java.util.LinkedHashMap<>();
  private final Thread hook = new Thread(this::stopAll, "covenant-supervisor-stop");

  /** A running child: its name, process, log, and the value its ready line announced (an address, say). */
  public record Child(String name, Process process, Path log, String announced) {
    /** The last lines of its log, for an error message. */
    public String tail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 8), lines.size()));
      } catch (IOException e) {
        return "(log unreadable: " + e.getMessage() + ")";
      }
    }
  }

  public ProcessSupervisor(Path logDir, PrintStream out) {
    this.logDir = logDir;
    this.out = out;
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new CovenantException("cannot create the log folder " + logDir + ": " + e.getMessage(), e);
    }
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Starts {@code covenant <args>} as a child named {@code name} and waits until a line of its output matches
   * {@code ready} (group 1, if any, is returned as {@link Child#announced()}); refuses, naming the child and showing
   * the end of its log, if it exits first or does not get ready within {@code timeout}.
   */
  public Child start(String name, List<String> args, Pattern ready, Duration timeout) {
    return start(name, List.of(), args, ready, timeout);
  }

  /**
   * As {@link #start(String, List, Pattern, Duration)}, with {@code launcher} put before the {@code java} command:
   * {@code ip netns exec NS} runs the child in a network namespace (the namespace test does so). The launcher must
   * exec the command in place (as {@code ip netns exec} and {@code nice} do), so that the process this supervisor
   * stops is the child JVM itself.
   */
  public Child start(String name, List<String> launcher, List<String> args, Pattern ready, Duration timeout) {
    Path log = logDir.resolve(name + ".log");
    List<String> command = new ArrayList<>(launcher);
    command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Debug agents, the test runner's own options and a class-data archive being written stay with this JVM.
      if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-Dsurefire") && !a.startsWith("-XX:ArchiveClassesAtExit")) {
        command.add(a);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(MAIN_CLASS);
    command.addAll(args);
    Process p;
    long launched = System.nanoTime();
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new CovenantException("cannot start " + name + ": " + e.getMessage(), e);
    }
    CompletableFuture<String> readiness = new CompletableFuture<>();
    Thread pump = Thread.ofPlatform().daemon().name("covenant-log-" + name).start(() -> pump(p, log, ready, readiness));
    Child child = new Child(name, p, log, null);
    synchronized (children) {
      children.add(child);
    }
    try {
      String announced = readiness.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Duration startup = Duration.ofNanos(System.nanoTime() - launched);
      Child started = new Child(name, p, log, announced);
      synchronized (children) {
        children.set(children.indexOf(child), started);
        startupTimes.put(name, startup);
      }
      return started;
    } catch (TimeoutException e) {
      throw new CovenantException(name + " did not get ready within " + timeout.toSeconds() + " s; the end of its log (" + log + "):\n" + child.tail());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while starting " + name);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CovenantException(name + " stopped before it was ready (" + e.getCause().getMessage() + "); the end of its log (" + log + "):\n" + child.tail());
    } finally {
      if (!pump.isAlive() && !readiness.isDone()) readiness.cancel(true);
    }
  }

  private static void pump(Process p, Path log, Pattern ready, CompletableFuture<String> readiness) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        w.write(line);
        w.write('\n');
        w.flush();
        if (!readiness.isDone()) {
          Matcher m = ready.matcher(line);
          if (m.find()) readiness.complete(m.groupCount() >= 1 ? m.group(1) : line);
        }
      }
    } catch (IOException e) {
      // the child's output closed abnormally: it is reported below like any exit
    }
    readiness.completeExceptionally(new CovenantException("it exited with status " + exitStatus(p)));
  }

  private static String exitStatus(Process p) {
    try {
      return String.valueOf(p.waitFor(5, TimeUnit.SECONDS) ? p.exitValue() : "(still running)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(unknown)";
    }
  }

  /** The children still running, and those that exited unexpectedly (named with the end of their log). */
  public void requireAlive() {
    synchronized (children) {
      for (Child c : children) {
        if (!c.process().isAlive()) {
          throw new CovenantException(c.name() + " exited (status " + c.process().exitValue() + "); the end of its log (" + c.log() + "):\n" + c.tail());
        }
      }
    }
  }

  /**
   * How long the last start of {@code name} took, from launching its JVM to its ready line (the node's listening
   * address, the worker's simulation key, the coordinator's API address); empty if it never got ready here.
   */
  public java.util.Optional<Duration> startupTime(String name) {
    synchronized (children) {
      return java.util.Optional.ofNullable(startupTimes.get(name));
    }
  }

  public List<Child> children() {
    synchronized (children) {
      return List.copyOf(children);
    }
  }

  /** Stops one child (SIGTERM, then SIGKILL after 10 s), as a test kills a node mid-job. */
  public void stop(Child child) {
    stopProcess(child.process());
    synchronized (children) {
      children.removeIf(c -> c.process() == child.process());
    }
  }

  private void stopAll() {
    List<Child> all;
    synchronized (children) {
      all = new ArrayList<>(children);
      children.clear();
    }
    // Nodes and the worker first, the coordinator (started first) last.
    for (int i = all.size() - 1; i >= 0; i--) all.get(i).process().destroy();
    for (Child c : all) stopProcess(c.process());
  }

  private static void stopProcess(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook runs (or ran) stopAll itself
    }
    out.flush();
  }
}
