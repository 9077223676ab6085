package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ubi-pricing", mixinStandardHelpOptions = true,
    description = {"Measures the vehicle scenario's HE route against plaintext scoring in the same run: whole licensed jobs of an insurer on",
        "the TEE route (the enclave scores in plaintext) and on the HE route (the insurer's pricing model encrypted under its own CKKS",
        "key, evaluated on the maker's side), alternating, and the HE route's steps against the same model applied in plaintext to",
        "the same vehicles' features. Times are given per 1,000 scored vehicles."})
final class BenchUbiPricingCommand implements Callable<Integer> {
  @Option(names = "--vehicles", defaultValue = "1000", description = "Vehicles in the maker's fleet (default: ${DEFAULT-VALUE}).")
  int vehicles;

  @Option(names = "--days", defaultValue = "30", description = "Days of driving per vehicle (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--rounds", defaultValue = "3", description = "Alternating rounds of the whole-job measurements; each figure is their median (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the benchmark's deployment goes (default: a new temporary directory).")
  Path dir;

  @Override
  public Integer call() {
    if (vehicles < 8 || days < 1 || rounds < 1) throw new CovenantException("--vehicles must be at least 8, --days and --rounds at least 1");
    System.out.print(UbiPricingBenchmark.run(BenchCommand.workDir(dir), vehicles, days, rounds, System.err));
    return 0;
  }
}
