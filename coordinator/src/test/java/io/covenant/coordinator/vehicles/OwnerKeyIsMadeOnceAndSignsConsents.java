package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.deployment.LocalDeployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner makes its own key with `owner key new` (an owner-only file; an existing file is never overwritten, so a key
 * cannot be lost to a typo) and grants consent with it (`owner consent`): the maker records the grant and the
 * insurer's next job covers the vehicle. A new key for a vehicle whose consents another key signed is refused, and the
 * ledger does not move.
 */
class OwnerKeyIsMadeOnceAndSignsConsents {
  @Test
  void theOwnersOwnKeyGrantsAndAStrangersKeyIsRefused(@TempDir Path dir) throws IOException {
    VehicleScenario s = VehicleScenario.get();
    Path data = dir.resolve("data");
    copy(s.dir, data);
    String free = null, taken = null;
    try (LocalDeployment d = LocalDeployment.open(data)) {
      VehicleMaker maker = new VehicleMaker(d, VehiclesDemo.MAKER);
      var consented = maker.consents().consents().stream().map(c -> c.consent().vehicle()).collect(java.util.stream.Collectors.toSet());
      for (SyntheticFleet.Vehicle v : new SyntheticFleet(4242, VehicleScenario.VEHICLES, Instant.parse("2026-01-01T00:00:00Z"), 1).vehicles()) {
        boolean has = consented.contains(maker.pseudonym(v.vin()));
        if (!has && free == null) free = v.vin();
        if (has && taken == null) taken = v.vin();
      }
    }
    assertTrue(free != null && taken != null, "the scenario has a vehicle without consent and one with");

    Path key = dir.resolve("owner.json");
    var made = CovenantCli.executeCaptured("owner", "key", "new", "--vehicle", free, "--out", key.toString());
    assertEquals(0, made.exit(), made.out() + made.err());
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    String first = Files.readString(key);
    var again = CovenantCli.executeCaptured("owner", "key", "new", "--vehicle", free, "--out", key.toString());
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("never overwritten"), again.err());
    assertEquals(first, Files.readString(key), "the existing key file is untouched");
    var typo = CovenantCli.executeCaptured("owner", "key", "new", "--vehicle", "NOT-A-VIN", "--out", dir.resolve("typo.json").toString());
    assertEquals(1, typo.exit());
    assertFalse(Files.exists(dir.resolve("typo.json")), "a bad VIN creates nothing");

    var granted = CovenantCli.executeCaptured("owner", "consent", "--vehicle", free, "--consumer", "aurora-insurance", "--key", key.toString(),
        "--data-dir", data.toString());
    assertEquals(0, granted.exit(), granted.out() + granted.err());
    assertTrue(granted.out().contains("Recorded on the ledger"), granted.out());

    // A key of the owner's own for a vehicle whose consents another key signed: refused, nothing recorded.
    Path strangerKey = dir.resolve("stranger.json");
    assertEquals(0, CovenantCli.executeCaptured("owner", "key", "new", "--vehicle", taken, "--out", strangerKey.toString()).exit());
    long before;
    try (LocalDeployment d = LocalDeployment.open(data)) {
      before = d.ledger().size();
    }
    var refused = CovenantCli.executeCaptured("owner", "consent", "--vehicle", taken, "--consumer", "aurora-insurance", "--key", strangerKey.toString(),
        "--data-dir", data.toString());
    assertEquals(1, refused.exit(), refused.out());
    assertTrue(refused.err().contains("not its owner's"), refused.err());
    var wrongVin = CovenantCli.executeCaptured("owner", "consent", "--vehicle", free, "--consumer", "aurora-insurance", "--key", strangerKey.toString(),
        "--data-dir", data.toString());
    assertEquals(1, wrongVin.exit());
    assertTrue(wrongVin.err().contains("was made for vehicle " + taken), wrongVin.err());
    try (LocalDeployment d = LocalDeployment.open(data)) {
      assertEquals(before, d.ledger().size(), "a refused consent records nothing");
      String pseudonym = new VehicleMaker(d, VehiclesDemo.MAKER).pseudonym(free);
      VehiclesDemo.Job job = new VehiclesDemo(new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).licensedJob(d,
          VehiclesDemo.licenceOf(VehiclesDemo.INSURER_A).orElseThrow(), 1);
      assertTrue(job.use().covered().containsKey(pseudonym), "the owner's own grant covers the insurer's next job");
    }
    var withdrawn = CovenantCli.executeCaptured("owner", "withdraw", "--vehicle", free, "--consumer", "aurora-insurance", "--key", key.toString(),
        "--data-dir", data.toString());
    assertEquals(0, withdrawn.exit(), withdrawn.out() + withdrawn.err());
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
