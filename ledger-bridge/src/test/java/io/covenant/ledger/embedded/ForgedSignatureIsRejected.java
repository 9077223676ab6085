package io.covenant.ledger.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.ledger.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's own gate: only registered actors, only their own keys, registration once and self-signed. */
class ForgedSignatureIsRejected {
  @TempDir Path dir;
  private final Scenario s = new Scenario();
  private EmbeddedLedger ledger;

  @BeforeEach
  void open() {
    ledger = EmbeddedLedger.open(dir, SigningKey.generate());
    for (SignedEvent e : s.setup()) ledger.append(e);
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    ledger.close();
  }

  private void assertRejected(SignedEvent e, String... fragments) {
    long before = ledger.size();
    LedgerRejectedException x = assertThrows(LedgerRejectedException.class, () -> ledger.append(e));
    for (String f : fragments) assertTrue(x.getMessage().contains(f), "'" + x.getMessage() + "' should mention " + f);
    assertEquals(before, ledger.size(), "a rejected event writes nothing");
  }

  @Test
  void anEventAlteredAfterSigningIsRejectedNamingActorAndType() {
    SignedEvent real = s.keyReleased(s.hospitalA, JobId.random(), s.claimsA, s.enclave);
    SignedEvent altered = SignedEvent.fromJson(Json.parseObject(real.toJson().encode().replace(s.enclave.hex(), s.otherEnclave.hex())));
    assertRejected(altered, "hospital-a", "KEY_RELEASED", "does not verify");
  }

  @Test
  void anEventSignedWithAnotherOrganisationsKeyIsRejected() {
    AuditEvent e = new AuditEvent.ApprovalGiven(JobId.random(), s.claimsA.dataset(), true, "forged");
    assertRejected(SignedEvent.sign(e, s.hospitalA.org(), s.insurer.signingKey(), Instant.now()), "hospital-a", "APPROVAL_GIVEN");
  }

  @Test
  void anUnregisteredActorIsRejected() {
    OrgCredentials stranger = OrgCredentials.generate(OrgId.of("stranger"));
    AuditEvent e = new AuditEvent.JobDenied(JobId.random(), java.util.List.of("x"));
    assertRejected(SignedEvent.sign(e, stranger.org(), stranger.signingKey(), Instant.now()), "stranger", "JOB_DENIED", "has not registered");
  }

  @Test
  void aSecondRegistrationIsRejectedEvenWithANewKey() {
    OrgCredentials impostor = OrgCredentials.generate(s.hospitalA.org());
    assertRejected(s.register(impostor), "hospital-a", "ORG_REGISTERED", "already registered");
    assertEquals(s.hospitalA.signingKey().verifyingKey(), ledger.organisation(s.hospitalA.org()).orElseThrow().signingKey());
  }

  @Test
  void aRegistrationNotSelfSignedIsRejected() {
    OrgCredentials newcomer = OrgCredentials.generate(OrgId.of("hospital-c"));
    AuditEvent reg = newcomer.registration("Hospital C", "data-owner");
    assertRejected(SignedEvent.sign(reg, newcomer.org(), s.operator.signingKey(), Instant.now()), "hospital-c", "ORG_REGISTERED", "not self-signed");
    assertRejected(SignedEvent.sign(reg, s.operator.org(), newcomer.signingKey(), Instant.now()), "registers hospital-c but is signed as operator");
    ledger.append(SignedEvent.sign(reg, newcomer.org(), newcomer.signingKey(), Instant.now()));
    assertTrue(ledger.organisation(newcomer.org()).isPresent());
  }
}
