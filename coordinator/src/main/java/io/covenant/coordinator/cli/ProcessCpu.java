package io.covenant.coordinator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time a set of processes has used so far, and the part of it their JIT compiler threads used, read from Linux's
 * {@code /proc} (utime + stime, in the kernel's fixed 100 ticks per second). {@code bench processes} takes it before
 * and after the timed jobs, to show how much of each mode's work was still the JVMs compiling: six JVMs each compile
 * their share of a job's code, so they take longer to become warm than one. Absent where there is no {@code /proc}.
 */
record ProcessCpu(double seconds, double jitSeconds) {
  private static final double TICKS_PER_SECOND = 100;

  static Optional<ProcessCpu> of(Collection<Long> pids) {
    double total = 0;
    double jit = 0;
    for (long pid : pids) {
      Path proc = Path.of("/proc", Long.toString(pid));
      Optional<Long> ticks = ticks(proc.resolve("stat"));
      if (ticks.isEmpty()) return Optional.empty();
      total += ticks.get();
      try (Stream<Path> threads = Files.list(proc.resolve("task"))) {
        for (Path t : threads.toList()) {
          String name;
          try {
            name = Files.readString(t.resolve("comm")).strip();
          } catch (IOException gone) {
            continue; // the thread ended meanwhile
          }
          // HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1", ... (cut to 15 characters by the kernel).
          if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) jit += ticks(t.resolve("stat")).orElse(0L);
        }
      } catch (IOException e) {
        return Optional.empty();
      }
    }
    return Optional.of(new ProcessCpu(total / TICKS_PER_SECOND, jit / TICKS_PER_SECOND));
  }

  /** What was used between {@code before} and this. */
  ProcessCpu since(ProcessCpu before) {
    return new ProcessCpu(seconds - before.seconds, jitSeconds - before.jitSeconds);
  }

  /** utime + stime of a {@code stat} file: fields 14 and 15, counted after the command name, which may hold spaces. */
  private static Optional<Long> ticks(Path stat) {
    try {
      String s = Files.readString(stat);
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(f[11]) + Long.parseLong(f[12]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
