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
 * Issue 8, point 2, against a real deployment's data directory: the operator's signing key is in that directory, so
 * an insider rewrites one of the operator's own entries and re-signs it and the checkpoints with the REAL key (the
 * ledger-bridge test OperatorKeyRewriteIsAFork shows that this verifies without witnesses). With the consortium's
 * witnesses {@code covenant verify} names the fork and the entry, and
 * the coordinator will not open the log (its witnesses cosigned another history).
 */
class OperatorRewriteOfTheDeploymentIsNamed {
  @TempDir Path dir;

  @Test
  void verifyNamesTheForkAndTheRewrittenEntry() {
    SigningKey operatorKey;
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      d.formConsortium(HospitalInsurerDemo.HOSPITALS.stream().map(HospitalInsurerDemo.Hospital::org).toList(), 2);
      d.cosignCheckpoint(); // the operator's registration, witnessed on its own
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        d.createOrganisation(h.org(), h.name(), java.util.Set.of(io.covenant.coordinator.identity.OrgRole.OWNER));
        d.cosignCheckpoint();
      }
      operatorKey = d.keystore(LocalDeployment.OPERATOR).credentials().signingKey();
    }
    assertEquals(0, CliRun.of("verify", "--data-dir", dir.toString()).exit());

    Insider insider = new Insider(dir.resolve("ledger"));
    insider.editAndResign(0, ev -> {
      AuditEvent.OrgRegistered r = (AuditEvent.OrgRegistered) ev;
      return new AuditEvent.OrgRegistered(r.org(), "Someone Else", r.role(), r.signingKey(), r.encryptionKey());
    }, operatorKey);
    insider.resignCheckpoints(operatorKey);
    CliRun verify = CliRun.of("verify", "--data-dir", dir.toString());
    assertEquals(1, verify.exit(), verify.toString());
    assertTrue(verify.out().contains("entry 0 (ORG_REGISTERED) is the first entry that differs") && verify.out().contains("fork"), verify.toString());

    CliRun open = CliRun.of("ledger", "checkpoint", "--data-dir", dir.toString());
    assertEquals(1, open.exit(), open.toString());
    assertTrue(open.err().contains("rewritten (a fork)") && open.err().contains("will not open"), open.toString());
  }
}
