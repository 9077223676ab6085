package io.covenant.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A device certificate is valid only under a maker the consortium certified: root → maker's organisation certificate
 * → device certificate signed by that maker's key, naming the maker, binding the unit's key to its VIN. A device
 * certificate from a maker outside the consortium, signed by another key, or naming another maker is refused.
 */
class DeviceCertificateChainsToACertifiedMaker {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private final CertificateAuthority ca = CertificateAuthority.create("covenant-test", NOW, Duration.ofDays(3650));
  private final OrgId maker = OrgId.of("velo-motors");
  private final SigningKey makerKey = SigningKey.generate();
  private final OrgCertificate makerCert = ca.issue(maker, List.of("data-owner"), makerKey.verifyingKey(), NOW, Duration.ofDays(730));
  private final ConsortiumRoot root = new ConsortiumRoot(ca.root());
  private final SigningKey unit = SigningKey.generate();

  @Test
  void aUnitCertifiedByACertifiedMakerIsValid() {
    OrgCertificate device = DeviceCertificates.issue(maker, makerKey, "obd-1", "CVM1234567890ABCD", unit.verifyingKey(), NOW, Duration.ofDays(3650));
    assertEquals(Optional.empty(), DeviceCertificates.problemWith(device, maker, makerCert, root, NOW.plusSeconds(5)));
    assertEquals(Optional.of("CVM1234567890ABCD"), device.subjectSerialNumber());
    assertEquals(Optional.of(maker.value()), device.deviceOf());
    assertEquals(Optional.of(unit.verifyingKey()), device.subjectKey());
  }

  @Test
  void aUnitSignedByAnotherKeyIsRefused() {
    OrgCertificate device = DeviceCertificates.issue(maker, SigningKey.generate(), "obd-1", "CVM1234567890ABCD", unit.verifyingKey(), NOW, Duration.ofDays(3650));
    assertTrue(DeviceCertificates.problemWith(device, maker, makerCert, root, NOW.plusSeconds(5)).orElseThrow().contains("is not signed by maker"));
  }

  @Test
  void aMakerOutsideTheConsortiumIsRefused() {
    CertificateAuthority other = CertificateAuthority.create("elsewhere", NOW, Duration.ofDays(3650));
    OrgCertificate foreignMaker = other.issue(maker, List.of("data-owner"), makerKey.verifyingKey(), NOW, Duration.ofDays(730));
    OrgCertificate device = DeviceCertificates.issue(maker, makerKey, "obd-1", "CVM1234567890ABCD", unit.verifyingKey(), NOW, Duration.ofDays(3650));
    assertTrue(DeviceCertificates.problemWith(device, maker, foreignMaker, root, NOW.plusSeconds(5)).orElseThrow().contains("is not certified by the consortium"));
  }

  @Test
  void aUnitOfAnotherMakerIsRefused() {
    OrgId rival = OrgId.of("rival-cars");
    OrgCertificate device = DeviceCertificates.issue(rival, makerKey, "obd-1", "CVM1234567890ABCD", unit.verifyingKey(), NOW, Duration.ofDays(3650));
    assertTrue(DeviceCertificates.problemWith(device, maker, makerCert, root, NOW.plusSeconds(5)).isPresent());
  }

  @Test
  void aMalformedVinIsRefused() {
    assertThrows(MalformedInputException.class,
        () -> DeviceCertificates.issue(maker, makerKey, "obd-1", "CVM123456789OABCD", unit.verifyingKey(), NOW, Duration.ofDays(3650)));
  }
}
