package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.vehicles.VehiclesDemo;
import io.covenant.core.error.CovenantException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "vehicles",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the vehicle OBD licensing scenario in this one JVM (the embedded deployment): a maker certifies its vehicles' OBD",
      "units (10,000 vehicles by default), ingests 30 days of their signed telemetry into an encrypted dataset (and refuses a batch with a replayed and a",
      "forged record), the owners sign consents whose digests go on the ledger, two insurers score the vehicles they may in the",
      "TEE worker under licences with different prices, some owners withdraw and a later job leaves them out, each job is",
      "settled between the maker and the owners with a Merkle root on the ledger, one owner's statement is proved against",
      "the ledger, and the ledger is verified. Running it again adds a new fleet to the same ledger. With --route he the insurers price the",
      "vehicles with their private models under homomorphic encryption instead of in the TEE worker."
    })
final class VehiclesDemoCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDir;
  @picocli.CommandLine.ParentCommand DemoCommand demo;
  @Mixin CaOption ca;

  @Option(names = "--vehicles", defaultValue = "10000",
      description = "Vehicles in the maker's fleet (default: ${DEFAULT-VALUE}, about three minutes on two busy cores, most of it signing and "
          + "verifying some 630,000 trip records with Ed25519; --vehicles 2000 takes about a minute and a half).")
  int vehicles;

  @Option(names = "--days", defaultValue = "30", description = "Days of telemetry each vehicle drives (default: ${DEFAULT-VALUE}).")
  int days;

  @Option(names = "--seed", description = "Seed of the synthetic fleet, to repeat a run's data (default: a new one each run).")
  Long seed;

  @Option(names = "--route", defaultValue = "tee", paramLabel = "tee|he",
      description = "Where the insurers' scoring jobs run: tee (the default: the TEE worker runs the insurer's scoring query) or he (each insurer's "
          + "private pricing model is encrypted under its own CKKS key and the maker's side evaluates it on the consenting vehicles' features; see "
          + "docs/vehicles.md).")
  String route;

  @Override
  public Integer call() {
    DemoCommand.requireInternationalSuite("demo vehicles", "vehicles sign telemetry with Ed25519 device keys, and the pricing route runs on the "
        + "homomorphic-encryption engine, whose digests are SHA-256", demo, null);
    if (vehicles < 1 || vehicles > 1_000_000) throw new CovenantException("--vehicles must be 1 to 1,000,000, not " + vehicles);
    if (days < 1 || days > 366) throw new CovenantException("--days must be 1 to 366, not " + days);
    io.covenant.coordinator.vehicles.UbiRoute chosen = io.covenant.coordinator.vehicles.UbiRoute.parse(route);
    try (LocalDeployment d = dataDir.openOrCreate(DemoIdentity.prepare(dataDir, ca))) {
      VehiclesDemo.Outcome o = new VehiclesDemo(System.out).run(d, vehicles, days, seed != null ? seed : System.nanoTime(), chosen);
      return o.verified().ok() && o.statement().proved() ? 0 : 1;
    }
  }
}
