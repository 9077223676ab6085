package io.covenant.coordinator;

import io.covenant.coordinator.cli.CovenantCli;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One CLI invocation with its exit code and what it printed, run in-process against a data directory. */
record CliRun(int exit, String out, String err) {

  static CliRun of(Path dataDir, String... args) {
    String[] all = Stream.concat(Stream.of(args), Stream.of("--data-dir", dataDir.toString())).toArray(String[]::new);
    CovenantCli.Captured run = CovenantCli.executeCaptured(all);
    return new CliRun(run.exit(), run.out(), run.err());
  }
}
