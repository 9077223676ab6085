package io.covenant.coordinator;

import io.covenant.coordinator.cli.CovenantCli;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One CLI invocation with its exit code and what it printed, run in-process against a data directory. */
record CliRun(int exit, String out, String err) {

  static CliRun of(Path dataDir, String... args) {
    return bare(Stream.concat(Stream.of(args), Stream.of("--data-dir", dataDir.toString())).toArray(String[]::new));
  }

  /** A command exactly as given, for commands that take no data directory (worker measure, --help). */
  static CliRun bare(String... args) {
    CovenantCli.Captured run = CovenantCli.executeCaptured(args);
    return new CliRun(run.exit(), run.out(), run.err());
  }
}
