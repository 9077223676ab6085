package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrongOwnerKeyIsRefused {
  @TempDir Path dir;

  @Test
  void anOwnerWhoseKeyEncryptionKeyWasReplacedReleasesNothing() throws Exception {
    var versions = new java.util.ArrayList<io.covenant.core.id.DatasetVersion>();
    try (SmallFederation f = new SmallFederation(dir, 800)) {
      versions.addAll(f.versions);
    }
    // hospital-b's keystore now holds a different key-encryption key than the one that wrapped its data key: written
    // in the older plaintext format with its own signing and HPKE keys, which the keystore migrates (re-seals) on open.
    Path identity = dir.resolve("orgs/hospital-b/identity.json");
    var old = io.covenant.node.keystore.OrgKeystore.open(dir.resolve("orgs/hospital-b"), io.covenant.core.id.OrgId.of("hospital-b"));
    HexFormat hex = HexFormat.of();
    Files.writeString(identity, Json.obj("org", "hospital-b", "signingSeed", hex.formatHex(old.credentials().signingKey().seedForKeystore()),
        "hpkePrivate", hex.formatHex(old.credentials().encryptionKeys().privateForKeystore()),
        "kek", hex.formatHex(KeyEncryptionKey.generate().exportForKeystore())).encode());
    for (var v : versions) {
      if (!v.dataset().owner().value().equals("hospital-b")) continue;
      Path keyFile = dir.resolve("orgs/hospital-b/data-keys").resolve(v.dataset().name() + "@" + v.version() + ".key");
      Files.writeString(keyFile, old.wrappedKey(v).orElseThrow().base64()); // the older format's bare wrapped key
    }

    try (LocalDeployment d = LocalDeployment.open(dir)) {
      JobOutcome out = d.consumer(HospitalInsurerDemo.INSURER).submit(
          versions, io.covenant.core.job.Engine.TEE, new io.covenant.core.id.Purpose("risk-model"),
          new io.covenant.core.job.Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
      assertEquals(JobState.FAILED, out.state());
      String reason = String.join(" ", out.reasons());
      assertTrue(reason.contains("key-encryption key") || reason.contains("owner key"), reason);
      assertFalse(reason.matches(".*[0-9a-f]{64}.*"), "no key material in the reason: " + reason);
      var released = d.ledger().entriesForJob(out.job()).stream().map(e -> e.event().event())
          .filter(e -> e instanceof AuditEvent.KeyReleased k && k.dataset().owner().value().equals("hospital-b")).count();
      assertEquals(0, released);
      assertTrue(d.ledger().entriesForJob(out.job()).stream().anyMatch(e -> e.event().event().type() == EventType.JOB_FAILED));
    }
  }
}
