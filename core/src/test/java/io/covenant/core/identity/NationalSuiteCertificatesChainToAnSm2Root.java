package io.covenant.core.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.junit.jupiter.api.Test;

/**
 * A national-suite consortium: an SM2 root certificate (SM3withSM2, GM/T 0015) issues certificates for SM2 keys; they
 * chain to the root, parse as standard X.509, and a key or root of the other suite is refused.
 */
class NationalSuiteCertificatesChainToAnSm2Root {
  private static final Instant NOW = Instant.parse("2026-11-01T00:00:00Z");
  private final CertificateAuthority ca = CertificateAuthority.create("covenant-sm", NOW, Duration.ofDays(3650), CryptoSuite.SM);
  private final ConsortiumRoot root = new ConsortiumRoot(ca.root());

  @Test
  void anSm2CertificateChainsToTheSm2Root() throws Exception {
    assertEquals(CryptoSuite.SM, ca.suite());
    assertEquals(CryptoSuite.SM, root.key().suite());
    SigningKey member = CryptoSuite.SM.generateSigningKey();
    OrgCertificate cert = ca.issue(OrgId.of("hospital-a"), List.of("data-owner"), member.verifyingKey(), NOW, Duration.ofDays(730));
    assertTrue(root.problemWith(cert, OrgId.of("hospital-a"), member.verifyingKey(), NOW.plusSeconds(60)).isEmpty());
    assertEquals(member.verifyingKey(), cert.subjectKey().orElseThrow());
    // The JDK's CertificateFactory does not know the sm2p256v1 curve (one reason its TLS cannot carry these); BouncyCastle reads them.
    var holder = new org.bouncycastle.cert.X509CertificateHolder(cert.der());
    assertEquals(GMObjectIdentifiers.sm2sign_with_sm3, holder.getSignatureAlgorithm().getAlgorithm());
    assertEquals(GMObjectIdentifiers.sm2p256v1, holder.getSubjectPublicKeyInfo().getAlgorithm().getParameters());
    // Restored from its stored key, the authority is the same.
    CertificateAuthority restored = CertificateAuthority.restore(SigningKey.fromSeed(ca.rootKeySeedForStore()), OrgCertificate.parse(ca.root().base64()));
    assertEquals(CryptoSuite.SM, restored.suite());
  }

  @Test
  void anotherSuitesKeyOrRootIsRefused() {
    assertThrows(MalformedInputException.class,
        () -> ca.issue(OrgId.of("hospital-b"), List.of("data-owner"), SigningKey.generate().verifyingKey(), NOW, Duration.ofDays(730)));
    CertificateAuthority intl = CertificateAuthority.create("covenant", NOW, Duration.ofDays(3650));
    SigningKey member = CryptoSuite.SM.generateSigningKey();
    OrgCertificate cert = ca.issue(OrgId.of("hospital-a"), List.of("data-owner"), member.verifyingKey(), NOW, Duration.ofDays(730));
    assertFalse(cert.signedBy(intl.root().subjectKey().orElseThrow()));
    assertTrue(new ConsortiumRoot(intl.root()).problemWith(cert, OrgId.of("hospital-a"), member.verifyingKey(), NOW).isPresent());
  }
}
