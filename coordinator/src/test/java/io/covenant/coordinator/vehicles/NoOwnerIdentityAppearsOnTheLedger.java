package io.covenant.coordinator.vehicles;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.event.AuditEvent;
import io.covenant.policy.consent.SignedConsent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The ledger holds consent digests, licences and settlement roots, never who the owners are: no VIN, no vehicle
 * pseudonym, no owner key and no OBD unit id appears anywhere in the exported ledger, while every consent's digest does.
 */
class NoOwnerIdentityAppearsOnTheLedger {
  @Test
  void theLedgerNamesNoOwnerVehicleOrUnit() throws IOException {
    VehicleScenario s = VehicleScenario.get();
    try (LocalDeployment d = s.open()) {
      Path export = s.dir.resolve("identity-check.jsonl");
      d.ledger().export(export);
      String ledger = Files.readString(export).toLowerCase(Locale.ROOT);
      VehicleMaker maker = new VehicleMaker(d, VehiclesDemo.MAKER);
      List<String> secrets = new ArrayList<>();
      for (SignedConsent c : maker.consents().consents()) {
        secrets.add(c.consent().vehicle());
        secrets.add(c.consent().owner().hex());
        assertTrue(ledger.contains(c.digest().hex()), "the consent's digest is on the ledger");
      }
      for (String vin : s.outcome.withdrawn()) secrets.add(vin.toLowerCase(Locale.ROOT));
      assertTrue(secrets.size() > 10);
      for (String secret : secrets) assertFalse(ledger.contains(secret), "the ledger contains an owner's identity or vehicle: " + secret);
      assertFalse(ledger.contains("obd-"), "the ledger names an OBD unit");
      long consents = d.ledger().entries(0, d.ledger().size()).stream().filter(e -> e.event().event() instanceof AuditEvent.ConsentRecorded).count();
      assertTrue(consents >= maker.consents().consents().size());
    }
  }
}
