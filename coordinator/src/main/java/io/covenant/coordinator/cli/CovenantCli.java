package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "covenant",
    mixinStandardHelpOptions = true,
    version = "Covenant 0.1.0",
    description = {
      "Privacy-computing data sharing: compute on data nobody may see, with an audit ledger anyone can verify.",
      "Start with './covenant demo'."
    },
    subcommands = {DemoCommand.class, OrgCommand.class, CaCommand.class, DatasetCommand.class, PolicyCommand.class, JobCommand.class, WorkerCommand.class,
        BenchCommand.class, ServeCommand.class, ConsoleCommand.class, NodeCommand.class, DeskCommand.class, UpCommand.class, SignCommand.class, VerifyCommand.class, LedgerCommand.class, WitnessCommand.class,
        TelemetryCommand.class, OwnerCommand.class, VehiclesCommand.class, CommandLine.HelpCommand.class})
public final class CovenantCli extends CommandGroup {

  /** The CLI's command tree with its help layout (see {@link HelpLayout}); what {@link #execute} runs. */
  public static CommandLine commandLine() {
    return HelpLayout.apply(new CommandLine(new CovenantCli()));
  }

  public static int execute(String... args) {
    CommandLine cli = commandLine();
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof CovenantException) {
        cmd.getErr().println("covenant: " + ex.getMessage());
        return 1;
      }
      cmd.getErr().println("covenant: unexpected " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
      cmd.getErr().println("covenant: this is a bug; please report it with the command you ran. Details follow.");
      ex.printStackTrace(cmd.getErr());
      return 70;
    });
    return cli.execute(args);
  }

  /** What one in-process run of the CLI printed, and its exit status. */
  public record Captured(int exit, String out, String err) {}

  /**
   * Runs the CLI in this JVM with {@link System#out} and {@link System#err} captured, since commands print through
   * them. Callers run one command at a time: the streams are global to the JVM.
   */
  public static Captured executeCaptured(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int exit = execute(args);
      return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
