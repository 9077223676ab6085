package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * An owner's statement proves each line against the ledger: a withdrawn owner sees the jobs that used its vehicle,
 * what it earned and the later job that left it out; if the maker's kept settlement is altered to pay that owner more,
 * the owner's line no longer verifies against the root on the ledger, and the statement says so.
 */
class OwnerStatementIsProvedAgainstTheLedger {
  @Test
  void eachLineProvesAndAnAlteredSheetDoesNot() throws Exception {
    VehicleScenario s = VehicleScenario.get();
    String vin = s.outcome.withdrawn().iterator().next();
    try (LocalDeployment d = s.open()) {
      VehicleMaker maker = new VehicleMaker(d, VehiclesDemo.MAKER);
      OwnerStatement statement = OwnerStatement.of(maker, d.ledger(), vin);
      assertTrue(statement.proved());
      assertEquals(3, statement.lines().size());
      assertTrue(statement.lines().get(0).used(), "the first job used the vehicle");
      assertFalse(statement.lines().get(2).used(), "the job after the withdrawal did not");
      assertTrue(statement.lines().get(2).note().contains("withdrawn"), statement.lines().get(2).note());
      assertTrue(statement.earned() > 0);

      String pseudonym = maker.pseudonym(vin);
      Path sheet = s.dir.resolve("orgs").resolve(VehiclesDemo.MAKER.value()).resolve("vehicles").resolve("settlements")
          .resolve(s.outcome.jobs().get(0).outcome().job().value() + ".json");
      String original = Files.readString(sheet);
      long amount = statement.lines().get(0).amount();
      String needle = Json.obj("amount", amount, "owner", pseudonym).encode();
      needle = needle.substring(1, needle.length() - 1);
      assertTrue(original.contains(needle), "the kept sheet holds the owner's line");
      try {
        Files.writeString(sheet, original.replace(needle, needle.replace("\"amount\":" + amount, "\"amount\":" + (amount + 500))));
        OwnerStatement altered = OwnerStatement.of(new VehicleMaker(d, VehiclesDemo.MAKER), d.ledger(), vin);
        assertFalse(altered.proved());
        assertTrue(altered.lines().get(0).problem().orElseThrow().contains("does not verify against the owners' root"), altered.lines().get(0).problem().get());
      } finally {
        Files.writeString(sheet, original);
      }
    }
  }
}
