package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.vehicles.OwnerStatement;
import io.covenant.coordinator.vehicles.VehicleMaker;
import io.covenant.coordinator.vehicles.VehiclesDemo;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "owner",
    mixinStandardHelpOptions = true,
    description = {"A vehicle owner's view of the licensed use of its vehicle's data. See docs/vehicles.md."},
    subcommands = {OwnerCommand.Statement.class})
final class OwnerCommand extends CommandGroup {

  @Command(name = "statement", mixinStandardHelpOptions = true,
      description = {"Shows every licensed job on the maker's telemetry: whether it used the vehicle's data, under which consent,",
          "and what the owner earned. Each line is proved against the ledger: the owner's settlement line by its Merkle",
          "inclusion proof against the root in USAGE_SETTLED, and that entry and the consent's CONSENT_RECORDED by inclusion",
          "proofs against the ledger's signed checkpoint. Exits 1 if any line does not prove."})
  static final class Statement implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--vehicle", required = true, paramLabel = "VIN", description = "The vehicle identification number (17 characters).")
    String vin;

    @Option(names = "--maker", defaultValue = "velo-motors", paramLabel = "ORG", description = "The vehicle's maker (default: ${DEFAULT-VALUE}, the demo's).")
    String maker;

    @Override
    public Integer call() {
      if (vin == null || !vin.matches("[A-HJ-NPR-Z0-9]{17}")) {
        throw new CovenantException("'" + vin + "' is not a VIN: 17 of A-Z (without I, O, Q) and 0-9");
      }
      try (LocalDeployment d = dataDir.open()) {
        VehicleMaker m = new VehicleMaker(d, OrgId.of(maker));
        OwnerStatement s = OwnerStatement.of(m, d.ledger(), vin);
        if (s.lines().isEmpty()) {
          System.out.println("No licensed job on " + m.dataset() + " has been settled yet; there is nothing to state.");
          return 0;
        }
        if (s.lines().stream().noneMatch(OwnerStatement.Line::used)
            && m.consents().consents().stream().noneMatch(c -> c.consent().vehicle().equals(s.vehicle()))) {
          System.out.println("Note: " + maker + " keeps no consent of this vehicle's owner; check the VIN.");
        }
        System.out.print(s.render(VehiclesDemo.CURRENCY));
        return s.proved() ? 0 : 1;
      }
    }
  }
}
