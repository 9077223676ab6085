package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.vehicles.SyntheticFleet;
import io.covenant.coordinator.vehicles.VehicleMaker;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.TextTable;
import io.covenant.storage.telemetry.SignedTelemetry;
import io.covenant.storage.telemetry.TelemetryRefusedException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "telemetry",
    mixinStandardHelpOptions = true,
    description = {"A vehicle maker's OBD telemetry: simulate a certified fleet's signed trips, and ingest signed records into the",
        "maker's encrypted telemetry dataset. See docs/vehicles.md."},
    subcommands = {TelemetryCommand.Ingest.class, TelemetryCommand.Simulate.class})
final class TelemetryCommand extends CommandGroup {

  @Command(name = "ingest", mixinStandardHelpOptions = true,
      description = {"Reads signed telemetry records (JSON Lines, one record with its device's signature per line) as a stream,",
          "verifies every signature against the device certificates the maker issued, and refuses the whole batch if any record",
          "is forged, replayed or out of order, naming each refused record and why; nothing of a refused batch is stored.",
          "Otherwise the records become a new version of the maker's encrypted telemetry dataset (DATASET_PUBLISHED), with",
          "each VIN replaced by the vehicle's keyed pseudonym."})
  static final class Ingest implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Parameters(paramLabel = "FILE", description = "The signed records, JSON Lines.")
    Path file;

    @Option(names = "--maker", required = true, paramLabel = "ORG", description = "The vehicle maker (a registered organisation) whose devices signed the records.")
    String maker;

    @Override
    public Integer call() {
      if (!Files.isRegularFile(file)) throw new CovenantException("telemetry file " + file + " does not exist; give the JSON Lines file of signed records");
      try (LocalDeployment d = dataDir.open(); BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        VehicleMaker m = new VehicleMaker(d, OrgId.of(maker));
        long t0 = System.nanoTime();
        VehicleMaker.Ingested done;
        try {
          done = m.ingest(new Lines(in, file), Instant.now(), n -> System.err.printf("\r%,d records verified", n));
        } catch (TelemetryRefusedException e) {
          System.err.println();
          TextTable t = TextTable.withHeaders("record", "device", "sequence", "refused because");
          e.refusals().stream().limit(50).forEach(r -> t.row(r.position(), r.device(), r.sequence(), r.reason().text()));
          System.out.print(t.render());
          System.out.println("Refused: " + e.refusals().size() + " of " + e.records() + " records; nothing was stored. Remove the refused records "
              + "(or have " + maker + " certify their devices) and ingest the file again.");
          return 1;
        }
        System.err.println();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.print(TextTable.withHeaders("dataset", "records", "vehicles", "shards", "seconds", "records/s")
            .row(done.dataset().version(), done.records(), done.vehicles(), done.dataset().shards(), String.format("%.1f", s), String.format("%,.0f", done.records() / s))
            .render());
        return 0;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** The records of a JSON Lines file, parsed as they are read; a malformed line stops the ingest naming its number. */
  private static final class Lines implements Iterator<SignedTelemetry> {
    private final BufferedReader in;
    private final Path file;
    private String next;
    private long line;

    Lines(BufferedReader in, Path file) {
      this.in = in;
      this.file = file;
    }

    public boolean hasNext() {
      try {
        while (next == null) {
          String l = in.readLine();
          if (l == null) return false;
          line++;
          if (!l.isBlank()) next = l;
        }
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    public SignedTelemetry next() {
      if (!hasNext()) throw new NoSuchElementException();
      String l = next;
      next = null;
      try {
        return SignedTelemetry.fromJson(Json.parseObject(l));
      } catch (MalformedInputException e) {
        throw new MalformedInputException("line " + line + " of " + file + " is not a signed telemetry record: " + e.getMessage() + "; nothing was stored", e);
      }
    }
  }

  @Command(name = "simulate", mixinStandardHelpOptions = true,
      description = {"Makes a synthetic fleet for a maker: certifies each vehicle's OBD unit with the maker's key (the certificates",
          "are kept in the maker's folder, so 'telemetry ingest' trusts them) and writes the trips the vehicles drive, each",
          "signed by its unit, as a JSON Lines file to ingest. The units' private keys are not kept."})
  static final class Simulate implements Callable<Integer> {
    @Mixin DataDirOption dataDir;

    @Option(names = "--maker", required = true, paramLabel = "ORG", description = "The vehicle maker (a registered organisation).")
    String maker;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the signed records go (JSON Lines; must not exist yet).")
    Path out;

    @Option(names = "--vehicles", defaultValue = "100", description = "Vehicles in the fleet (default: ${DEFAULT-VALUE}).")
    int vehicles;

    @Option(names = "--days", defaultValue = "30", description = "Days of driving (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--seed", description = "Seed of the fleet, to repeat it (default: a new one each run).")
    Long seed;

    @Override
    public Integer call() {
      if (Files.exists(out)) throw new CovenantException(out + " already exists; give a new file for the records");
      if (vehicles < 1 || days < 1) throw new CovenantException("--vehicles and --days must be at least 1");
      try (LocalDeployment d = dataDir.open()) {
        VehicleMaker m = new VehicleMaker(d, OrgId.of(maker));
        Instant from = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
        SyntheticFleet fleet = new SyntheticFleet(seed != null ? seed : System.nanoTime(), vehicles, from, days);
        m.certify(fleet.vehicles(), from.minus(Duration.ofDays(1)));
        long n = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW)) {
          for (Iterator<SignedTelemetry> it = fleet.signedRecords(); it.hasNext(); n++) {
            w.write(it.next().toJson().encode());
            w.newLine();
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
        }
        System.out.print(TextTable.withHeaders("maker", "vehicles", "days", "records", "file").row(maker, vehicles, days, n, out).render());
        return 0;
      }
    }
  }
}
