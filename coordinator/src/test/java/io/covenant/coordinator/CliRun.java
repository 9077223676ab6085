package io.covenant.coordinator;

import io.covenant.coordinator.cli.CovenantCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;

/** One CLI invocation with its exit code and what it printed, run in-process against a data directory. */
record CliRun(int exit, String out, String err) {

  static CliRun of(Path dataDir, String... args) {
    return bare(Stream.concat(Stream.of(args), Stream.of("--data-dir", dataDir.toString())).toArray(String[]::new));
  }

  /** A command exactly as given, for commands that take no data directory (worker measure, --help). */
  static CliRun bare(String... args) {
    PrintStream out = System.out, err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      return new CliRun(CovenantCli.execute(args), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
