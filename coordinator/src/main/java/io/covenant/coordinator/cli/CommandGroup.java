package io.covenant.coordinator.cli;

import picocli.CommandLine;

/** A command that only groups sub-commands: run alone, it prints its usage. */
abstract class CommandGroup implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
