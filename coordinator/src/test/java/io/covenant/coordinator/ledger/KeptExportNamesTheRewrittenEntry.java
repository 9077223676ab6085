package io.covenant.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.Insider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An auditor kept the export it verified last time. An insider with the data directory (in the embedded deployment
 * it holds every organisation's key) rewrites one entry, re-signs it and the checkpoints: on its own the log
 * verifies; {@code verify --since OLD_EXPORT} names the exact entry, with no witness needed.
 */
class KeptExportNamesTheRewrittenEntry {
  @TempDir Path tmp;

  @Test
  void theFirstDifferingEntryIsNamed() {
    Path data = tmp.resolve("data");
    SigningKey hospitalB;
    SigningKey operator;
    try (LocalDeployment d = LocalDeployment.open(data)) {
      for (var h : HospitalInsurerDemo.HOSPITALS) d.createOrganisation(h.org(), h.name(), java.util.Set.of(io.covenant.coordinator.identity.OrgRole.OWNER));
      hospitalB = d.keystore(HospitalInsurerDemo.HOSPITALS.get(1).org()).credentials().signingKey();
      operator = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey();
    }
    Path old = tmp.resolve("audit-1.jsonl");
    assertEquals(0, CliRun.of("ledger", "export", "--data-dir", data.toString(), "--out", old.toString()).exit());

    Insider insider = new Insider(data.resolve("ledger"));
    insider.editAndResign(2, ev -> {
      AuditEvent.OrgRegistered r = (AuditEvent.OrgRegistered) ev;
      return new AuditEvent.OrgRegistered(r.org(), "Renamed Hospital", r.role(), r.signingKey(), r.encryptionKey());
    }, hospitalB);
    insider.resignCheckpoints(operator);
    assertEquals(0, CliRun.of("verify", "--data-dir", data.toString()).exit(), "on its own the re-signed rewrite verifies");

    CliRun since = CliRun.of("verify", "--data-dir", data.toString(), "--since", old.toString());
    assertEquals(1, since.exit(), since.toString());
    assertTrue(since.out().contains("FAILED: entry 2 (ORG_REGISTERED) differs from the same entry in the export you kept"), since.toString());
  }
}
