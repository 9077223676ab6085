package io.covenant.coordinator.ledger;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.ledger.Insider;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 8, point 1, on the coordinator's side: it used to reopen a log whose entries after the last remaining
 * checkpoint were edited, and serve the forged text. It now refuses to open it, naming the entry; and a log cut
 * short and re-signed with the operator's own key is refused because the local witnesses cosigned more.
 */
class CoordinatorRefusesATamperedTail {
  @TempDir Path dir;

  @Test
  void anEditedTailIsRefusedNamingTheEntry() {
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      d.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", java.util.Set.of(io.covenant.coordinator.identity.OrgRole.CONSUMER));
      d.ledger().checkpoint();
      for (var h : HospitalInsurerDemo.HOSPITALS) d.createOrganisation(h.org(), h.name(), java.util.Set.of(io.covenant.coordinator.identity.OrgRole.OWNER));
    }
    Insider insider = new Insider(dir.resolve("ledger"));
    insider.keepCheckpoints(insider.checkpointCount() - 1);
    int last = insider.events().size() - 1;
    insider.editKeepingSignature(last, ev -> {
      AuditEvent.OrgRegistered r = (AuditEvent.OrgRegistered) ev;
      return new AuditEvent.OrgRegistered(r.org(), "Forged Hospital", r.role(), r.signingKey(), r.encryptionKey());
    });
    IntegrityException e = assertThrows(IntegrityException.class, () -> LocalDeployment.open(dir).close());
    assertTrue(e.getMessage().startsWith("entry " + last + " (ORG_REGISTERED)") && e.getMessage().contains("will not open"), e.getMessage());
  }

  @Test
  void aLogCutShortAndResignedIsRefusedBecauseTheWitnessesSawMore() {
    SigningKey operatorKey;
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      for (var h : HospitalInsurerDemo.HOSPITALS) d.createOrganisation(h.org(), h.name(), java.util.Set.of(io.covenant.coordinator.identity.OrgRole.OWNER));
      d.formConsortium(HospitalInsurerDemo.HOSPITALS.stream().map(HospitalInsurerDemo.Hospital::org).toList(), 2);
      d.createOrganisation(HospitalInsurerDemo.INSURER, "Insurer X", java.util.Set.of(io.covenant.coordinator.identity.OrgRole.CONSUMER));
      d.cosignCheckpoint();
      operatorKey = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey();
    }
    Insider insider = new Insider(dir.resolve("ledger"));
    int size = insider.events().size();
    insider.truncate(size - 1);
    insider.resignCheckpoints(operatorKey);
    insider.dropWitnessed();
    IntegrityException e = assertThrows(IntegrityException.class, () -> LocalDeployment.open(dir).close());
    assertTrue(e.getMessage().contains("witness hospital-a cosigned " + size) && e.getMessage().contains("rollback"), e.getMessage());
  }

}
