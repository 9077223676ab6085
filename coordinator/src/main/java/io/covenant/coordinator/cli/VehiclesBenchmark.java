package io.covenant.coordinator.cli;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.coordinator.vehicles.SyntheticFleet;
import io.covenant.coordinator.vehicles.VehicleMaker;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.TextTable;
import io.covenant.ledger.InclusionProof;
import io.covenant.ledger.settlement.OwnerShare;
import io.covenant.ledger.settlement.SettlementRule;
import io.covenant.ledger.settlement.SettlementSheet;
import io.covenant.storage.telemetry.DeviceDirectory;
import io.covenant.storage.telemetry.IngestState;
import io.covenant.storage.telemetry.SignedTelemetry;
import io.covenant.storage.telemetry.TelemetryIngest;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The vehicle scenario's costs: telemetry ingest (every device signature verified, the records encrypted and stored as
 * a dataset version) against verifying the same records' signatures alone, in the same run and with the same
 * parallelism; and the settlement of many owners (the largest-remainder split, the Merkle tree, every owner's
 * inclusion proof made and checked), with the size of one owner's proof.
 */
final class VehiclesBenchmark {
  private VehiclesBenchmark() {}

  static String run(Path workDir, int vehicles, int days, int owners, int rounds, PrintStream progress) {
    Instant from = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days));
    SyntheticFleet fleet = new SyntheticFleet(7, vehicles, from, days);
    progress.println("signing the fleet's records (the devices' side) ...");
    long t = System.nanoTime();
    List<SignedTelemetry> records = new ArrayList<>();
    fleet.signedRecords().forEachRemaining(records::add);
    double signS = seconds(t);
    int n = records.size();

    TextTable table = TextTable.withHeaders("step", "records", "seconds", "records/s", "vs signatures alone");
    try (LocalDeployment d = LocalDeployment.open(workDir.resolve("data"))) {
      OrgId makerOrg = OrgId.of("bench-maker");
      if (d.ledger().organisation(makerOrg).isEmpty()) d.createOrganisation(makerOrg, "Bench Maker", Set.of(OrgRole.OWNER));
      VehicleMaker maker = new VehicleMaker(d, makerOrg);
      maker.certify(fleet.vehicles(), from.minus(Duration.ofDays(1)));
      DeviceDirectory devices = maker.devices(Instant.now());

      IntStream.range(0, Math.min(n, 5_000)).parallel() // warm-up of the same code
          .forEach(i -> devices.device(records.get(i).record().device()).orElseThrow().key().verify(records.get(i).record().signedBytes(), records.get(i).signature()));
      // The machine may be shared: the three measurements alternate, round after round, and each row is the median.
      double[] verifyS = new double[rounds], checkS = new double[rounds], ingestS = new double[rounds];
      for (int round = 0; round < rounds; round++) {
        progress.println("round " + (round + 1) + " of " + rounds + ": signatures alone, ingest checks, full ingest ...");
        t = System.nanoTime();
        long valid = IntStream.range(0, n).parallel()
            .filter(i -> devices.device(records.get(i).record().device()).orElseThrow().key().verify(records.get(i).record().signedBytes(), records.get(i).signature()))
            .count();
        verifyS[round] = seconds(t);
        if (valid != n) throw new IllegalStateException("only " + valid + " of " + n + " signatures verified");
        t = System.nanoTime();
        new TelemetryIngest(devices, IngestState.empty(), vin -> CryptoSuite.INTL.hash(vin.getBytes()).hex()).verify(records.iterator(), x -> {});
        checkS[round] = seconds(t);
        maker.forgetIngestStateForBenchmark();
        t = System.nanoTime();
        maker.ingest(records.iterator(), Instant.now(), x -> {});
        ingestS[round] = seconds(t);
      }
      double verify = BenchStats.median(verifyS), check = BenchStats.median(checkS), ingest = BenchStats.median(ingestS);
      table.row("devices sign (the units' side, for reference)", n, fmt(signS), rate(n, signS), "");
      table.row("signatures verified alone", n, fmt(verify), rate(n, verify), "1.00");
      table.row("ingest checks (signatures, replay, order)", n, fmt(check), rate(n, check), String.format("%.2f", check / verify));
      table.row("ingest: checked + encrypted + stored", n, fmt(ingest), rate(n, ingest), String.format("%.2f", ingest / verify));
    }

    progress.println("settling " + owners + " owners ...");
    SplittableRandom r = new SplittableRandom(11);
    TreeMap<String, Long> used = new TreeMap<>();
    byte[] b = new byte[32];
    while (used.size() < owners) {
      for (int i = 0; i < 32; i++) b[i] = (byte) r.nextInt(256);
      used.put(HexFormat.of().formatHex(b), 20L + r.nextInt(120));
    }
    AuditEvent.LicencePublished licence = new AuditEvent.LicencePublished(new DatasetId(OrgId.of("bench-maker"), "telemetry"), "bench", CryptoSuite.INTL.hash(new byte[] {1}),
        CryptoSuite.INTL.hash(new byte[] {2}), OrgId.of("bench-insurer"), "EUR", 20_000, 50, 3_000);
    t = System.nanoTime();
    SettlementSheet sheet = SettlementRule.settle(licence, 1, used);
    double settleS = seconds(t);
    t = System.nanoTime();
    long proofBytes = 0;
    int depth = 0;
    for (OwnerShare s : sheet.shares()) {
      InclusionProof p = sheet.proof(s.owner()).orElseThrow();
      if (!p.verify(s.leafHash(), sheet.root())) throw new IllegalStateException("a proof did not verify");
      depth = Math.max(depth, p.path().size());
      proofBytes = Math.max(proofBytes, p.toJson().encode().length());
    }
    double proveS = seconds(t);
    if (sheet.ownersAmount() + sheet.makerAmount() != sheet.amount()) throw new IllegalStateException("the settlement does not sum");
    TextTable settle = TextTable.withHeaders("settlement of", "split + tree (s)", "all proofs made + checked (s)", "proof: hashes", "proof: bytes (32 each)",
        "proof as JSON (bytes)", "sums exactly");
    settle.row(owners + " owners", fmt(settleS), fmt(proveS), depth, depth * 32, proofBytes, "yes");
    return String.format("%d vehicles x %d days: %,d signed records; %d cores; medians of %d alternating rounds%n", vehicles, days, n,
        Runtime.getRuntime().availableProcessors(), rounds)
        + table.render() + settle.render();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String fmt(double s) {
    return String.format("%.2f", s);
  }

  private static String rate(long n, double s) {
    return String.format("%,.0f", n / s);
  }
}
