package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner acts from the CLI with its own key: `owner withdraw` signs the withdrawal of its grant to an insurer (the
 * maker checks it and records its digest); the insurer's next `vehicles job` leaves the vehicle out inside the enclave,
 * and the owner's statement says why. Someone holding another key withdraws nothing, and the ledger does not move.
 */
class OwnerWithdrawsFromTheCliAndTheNextJobLeavesTheVehicleOut {
  @Test
  void theOwnersWithdrawalTakesTheVehicleOutOfTheNextJob(@TempDir Path dir) throws IOException {
    VehicleScenario s = VehicleScenario.get();
    Path data = dir.resolve("data");
    copy(s.dir, data);
    Path ownerKeys = data.resolve("vehicle-owners");
    Path keyFile;
    try (Stream<Path> files = Files.list(ownerKeys)) {
      keyFile = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
    }
    String vin = Json.parseObject(Files.readString(keyFile)).string("vin");
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    String pseudonym;
    long entriesBefore;
    try (LocalDeployment d = LocalDeployment.open(data)) {
      pseudonym = new VehicleMaker(d, VehiclesDemo.MAKER).pseudonym(vin);
      entriesBefore = d.ledger().size();
    }

    // Another key: refused by name, nothing recorded.
    Path stranger = dir.resolve("stranger.json");
    Files.writeString(stranger, Json.obj("vin", vin, "ownerKeySeed", HexFormat.of().formatHex(SigningKey.generate().seedForKeystore())).encode());
    var refused = CovenantCli.executeCaptured("owner", "withdraw", "--vehicle", vin, "--consumer", "aurora-insurance", "--key", stranger.toString(),
        "--data-dir", data.toString());
    assertEquals(1, refused.exit(), refused.out() + refused.err());
    assertTrue(refused.err().contains("is not the key that signed " + vin + "'s grant to aurora-insurance") && refused.err().contains("nothing was withdrawn"),
        refused.err());
    try (LocalDeployment d = LocalDeployment.open(data)) {
      assertEquals(entriesBefore, d.ledger().size(), "a refused withdrawal records nothing");
    }

    var withdrawn = CovenantCli.executeCaptured("owner", "withdraw", "--vehicle", vin, "--consumer", "aurora-insurance", "--key", keyFile.toString(),
        "--data-dir", data.toString());
    assertEquals(0, withdrawn.exit(), withdrawn.out() + withdrawn.err());
    assertTrue(withdrawn.out().contains("Jobs of aurora-insurance from now on leave " + vin + " out"), withdrawn.out());
    var again = CovenantCli.executeCaptured("owner", "withdraw", "--vehicle", vin, "--consumer", "aurora-insurance", "--key", keyFile.toString(),
        "--data-dir", data.toString());
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("that is still in force; nothing was withdrawn"), again.err());

    try (LocalDeployment d = LocalDeployment.open(data)) {
      VehiclesDemo.Job job = new VehiclesDemo(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).licensedJob(d,
          VehiclesDemo.licenceOf(VehiclesDemo.INSURER_A).orElseThrow(), 1);
      assertFalse(job.use().covered().containsKey(pseudonym), "the next job of aurora-insurance covers the vehicle its owner withdrew");
      assertFalse(job.scores().rows().stream().anyMatch(r -> r.getFirst().equals(pseudonym)), "the withdrawn vehicle was scored");
      OwnerStatement statement = OwnerStatement.of(new VehicleMaker(d, VehiclesDemo.MAKER), d.ledger(), vin);
      assertTrue(statement.proved());
      OwnerStatement.Line last = statement.lines().stream().filter(l -> l.job().equals(job.outcome().job())).findFirst().orElseThrow();
      assertFalse(last.used());
      assertTrue(last.note().contains("withdrawn"), last.note());
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else if (!p.getFileName().toString().endsWith(".lock")) Files.copy(p, target);
      }
    }
  }
}
