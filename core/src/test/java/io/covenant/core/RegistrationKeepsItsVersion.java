package io.covenant.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ORG_REGISTERED without a certificate stays version 1, byte for byte as before certificates existed (so old logs'
 * signatures hold); with one it is version 2 and round-trips with its certificate. A version that does not match its
 * body is refused.
 */
class RegistrationKeepsItsVersion {
  private final OrgCredentials org = OrgCredentials.generate(OrgId.of("hospital-a"));
  private final Instant at = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void withoutACertificateItIsVersionOneWithNoCertificateMember() {
    AuditEvent.OrgRegistered reg = org.registration("A", "data-owner");
    SignedEvent s = SignedEvent.sign(reg, org.org(), org.signingKey(), at);
    assertEquals(1L, s.statement().number("v"));
    assertFalse(s.statement().encode().contains("certificate"), s.statement().encode());
    SignedEvent back = SignedEvent.fromJson(Json.parseObject(s.toJson().encode()));
    assertTrue(back.verifiedBy(org.signingKey().verifyingKey()));
  }

  @Test
  void withACertificateItIsVersionTwoAndRoundTrips() {
    CertificateAuthority ca = CertificateAuthority.create("Test", at.minusSeconds(60), CertificateAuthority.ROOT_VALIDITY);
    var cert = ca.issue(org.org(), List.of("data-owner"), org.signingKey().verifyingKey(), at.minusSeconds(60), CertificateAuthority.MEMBER_VALIDITY);
    AuditEvent.OrgRegistered plain = org.registration("A", "data-owner");
    var reg = new AuditEvent.OrgRegistered(plain.org(), plain.displayName(), plain.role(), plain.signingKey(), plain.encryptionKey(), Optional.of(cert));
    SignedEvent s = SignedEvent.sign(reg, org.org(), org.signingKey(), at);
    assertEquals(2L, s.statement().number("v"));
    SignedEvent back = SignedEvent.fromJson(Json.parseObject(s.toJson().encode()));
    assertEquals(reg, back.event());
    assertTrue(back.verifiedBy(org.signingKey().verifyingKey()));
    assertEquals(List.of("data-owner"), cert.roles());
    assertEquals("hospital-a", cert.subjectName());
  }

  @Test
  void aVersionThatDoesNotMatchTheBodyIsRefused() {
    SignedEvent s = SignedEvent.sign(org.registration("A", "data-owner"), org.org(), org.signingKey(), at);
    String v2WithoutCertificate = s.toJson().encode().replace("\"v\":1", "\"v\":2");
    var e = assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(Json.parseObject(v2WithoutCertificate)));
    assertTrue(e.getMessage().contains("must carry a certificate"), e.getMessage());
    String v3 = s.toJson().encode().replace("\"v\":1", "\"v\":3");
    assertThrows(MalformedInputException.class, () -> SignedEvent.fromJson(Json.parseObject(v3)));
  }
}
