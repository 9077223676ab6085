package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The job file of {@code job submit} and {@code policy explain}: positional, like every file argument of the CLI
 * ({@code dataset publish FILE}, {@code policy validate FILE}); the older {@code --job FILE} is still accepted.
 */
final class JobFileArgument {
  @Parameters(paramLabel = "FILE", arity = "0..1", description = "The job file (JSON): " + JobFile.FORM_TEXT)
  Path positional;

  @Option(names = "--job", paramLabel = "FILE", description = "The same job file, given as an option (the older form).")
  Path option;

  Path path() {
    if (positional != null && option != null && !positional.equals(option)) {
      throw new CovenantException("two job files given (" + positional + " and --job " + option + "); give one");
    }
    if (positional == null && option == null) throw new CovenantException("no job file given; give its path, e.g. './covenant job submit job.json'");
    return positional != null ? positional : option;
  }
}
