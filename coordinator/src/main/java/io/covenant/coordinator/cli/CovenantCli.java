package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
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
    subcommands = {DemoCommand.class, DatasetCommand.class, PolicyCommand.class, JobCommand.class, BenchCommand.class, ServeCommand.class, SignCommand.class, VerifyCommand.class, CommandLine.HelpCommand.class})
public final class CovenantCli extends CommandGroup {

  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new CovenantCli());
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

  public static void main(String[] args) {
    System.exit(execute(args));
  }
}
