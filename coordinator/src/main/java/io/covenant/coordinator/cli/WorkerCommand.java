package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.id.Measurement;
import io.covenant.core.text.TextTable;
import io.covenant.tee.attestation.EnclaveImage;
import io.covenant.tee.attestation.SimulatedAttestationProvider;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Facts about this installation's TEE worker that owners need for their policies.",
    subcommands = {WorkerCommand.Measure.class, WorkerServeCommand.class})
final class WorkerCommand extends CommandGroup {

  @Command(name = "measure", mixinStandardHelpOptions = true,
      description = {
        "Prints the launch measurement of this installation's TEE worker: the value a policy's tee.measurements must list, "
            + "and the one each owner's key service compares with the attested evidence before it releases a key. The "
            + "worker here runs on simulated attestation (SIMULATED: no hardware isolation), so a policy must also set "
            + "tee.allowSimulated to true. The measurement is the SHA-384 of the whole image the worker runs in: every jar "
            + "on its class path (DuckDB's jar includes its native library), the JVM's release file, class library, "
            + "virtual machine and native libraries. The table lists each component's SHA-384 and the total; any change "
            + "to any component (a rebuild, a JDK update) changes the total."})
  static final class Measure implements Callable<Integer> {
    @Option(names = "--value-only", description = "Print only the measurement (hex), for scripts.")
    boolean valueOnly;

    @Override
    public Integer call() {
      Measurement m = LocalDeployment.workerMeasurement();
      if (valueOnly) {
        System.out.println(m.hex());
        return 0;
      }
      EnclaveImage image = EnclaveImage.current();
      TextTable components = TextTable.withHeaders("component", "name", io.covenant.core.crypto.FixedAlgorithms.TEE_MEASUREMENT_HASH_NAME).maxCellWidth(96);
      for (EnclaveImage.Component c : image.components()) components.row(c.kind().label(), c.name(), c.sha384());
      components.row("total", image.components().size() + " components", image.total().hex());
      System.out.print(components.render());
      System.out.print(TextTable.withHeaders("field", "value").maxCellWidth(110)
          .row("provider", SimulatedAttestationProvider.NAME + " (SIMULATED: no hardware isolation; for testing only)")
          .row("measurement", m.hex())
          .render());
      System.out.println("add to the \"tee\" part of a policy:");
      System.out.println("  \"tee\": {\"allowSimulated\": true, \"measurements\": [\"" + m.hex() + "\"]}");
      return 0;
    }
  }
}
