package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.vehicles.LicenceTerms;
import io.covenant.coordinator.vehicles.VehiclesDemo;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "vehicles",
    mixinStandardHelpOptions = true,
    description = {"Licensed use of the vehicle scenario's telemetry, in a data directory where './covenant demo vehicles' ran. See docs/vehicles.md."},
    subcommands = {VehiclesCommand.Job.class})
final class VehiclesCommand extends CommandGroup {

  @Command(name = "job", mixinStandardHelpOptions = true,
      description = {"Runs one more licensed usage-based-insurance job for an insurer of the demo on the maker's latest telemetry: the",
          "licence policy is published again with the consents in force now (so owners who withdrew since are left out), the TEE",
          "worker (or, with --engine he, the maker's side under the insurer's encrypted pricing model) scores the covered vehicles,",
          "and the job is settled between the maker and the owners. Prints the vehicles per risk band and the settlement."})
  static final class Job implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--consumer", required = true, paramLabel = "ORG", description = "The insurer: aurora-insurance or beacon-mutual.")
    String consumer;

    @Option(names = "--months", defaultValue = "1", description = "Vehicle-months the job is settled for (default: ${DEFAULT-VALUE}).")
    int months;

    @Option(names = "--engine", defaultValue = "tee", paramLabel = "tee|he",
        description = "Where the job runs: tee (the default: the TEE worker runs the insurer's scoring query) or he (the insurer's private pricing model, "
            + "encrypted under its own CKKS key, is evaluated on the maker's side on the covered vehicles' features; only the insurer decrypts the scores).")
    String engine;

    @Override
    public Integer call() {
      if (months < 1 || months > 120) throw new CovenantException("--months must be 1 to 120, not " + months);
      io.covenant.coordinator.vehicles.UbiRoute route = io.covenant.coordinator.vehicles.UbiRoute.parse(engine);
      LicenceTerms terms = VehiclesDemo.licenceOf(new OrgId(consumer)).orElseThrow(() -> new CovenantException(consumer
          + " holds no licence in the vehicle scenario; use " + VehiclesDemo.INSURER_A + " or " + VehiclesDemo.INSURER_B));
      try (LocalDeployment d = dataDir.open()) {
        new VehiclesDemo(System.out).licensedJob(d, terms, months, route);
        return 0;
      }
    }
  }
}
