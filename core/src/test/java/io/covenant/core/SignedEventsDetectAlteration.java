package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignedEventsDetectAlteration {
  private final OrgCredentials insurer = OrgCredentials.generate(OrgId.of("insurer-x"));

  private SignedEvent submitted() {
    AuditEvent e = new AuditEvent.JobSubmitted(
        JobId.random(), insurer.org(), List.of(DatasetVersion.parse("hospital-a/claims@1")), Engine.TEE,
        new Purpose("risk-model"), Digest.sha256("select 1".getBytes()));
    return SignedEvent.sign(e, insurer.org(), insurer.signingKey(), Instant.parse("2026-11-21T10:00:00.123456Z"));
  }

  @Test
  void roundTripKeepsTheSignatureValid() {
    SignedEvent s = submitted();
    SignedEvent back = SignedEvent.fromJson(Json.parseObject(s.toJson().encode()));
    assertEquals(s.event(), back.event());
    assertTrue(back.verifiedBy(insurer.signingKey().verifyingKey()));
  }

  @Test
  void anAlteredFieldBreaksTheSignature() {
    String text = submitted().toJson().encode().replace("risk-model", "research");
    SignedEvent forged = SignedEvent.fromJson(Json.parseObject(text));
    assertFalse(forged.verifiedBy(insurer.signingKey().verifyingKey()));
  }

  @Test
  void everyEventTypeDecodesToItself() {
    OrgCredentials h = OrgCredentials.generate(OrgId.of("hospital-a"));
    AuditEvent reg = h.registration("Hospital A", "data-owner");
    assertEquals(reg, AuditEvent.decode(reg.type(), AuditEvent.VERSION, Json.parseObject(reg.body().encode())));
  }
}
