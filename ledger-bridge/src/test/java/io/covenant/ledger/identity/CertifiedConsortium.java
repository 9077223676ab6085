package io.covenant.ledger.identity;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.Scenario;
import io.covenant.ledger.verify.AuditorTrust;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.verify.LedgerVerifier;
import io.covenant.ledger.verify.VerificationReport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The seed scenario's organisations ({@link Scenario}) with a consortium CA: every registration carries a certificate
 * from {@link #ca}, and the auditor pins its root. Events are dated {@link #at}(n) = 2026-11-21T10:00:00Z + n seconds;
 * certificates are issued from {@link #ISSUED} on. Test fixture.
 */
final class CertifiedConsortium {
  static final Instant ISSUED = Instant.parse("2026-11-21T09:00:00Z");
  final Scenario s = new Scenario();
  final CertificateAuthority ca = CertificateAuthority.create("Test consortium", ISSUED, Duration.ofDays(3650));
  final SigningKey logKey = SigningKey.generate();

  static Instant at(int second) {
    return Instant.parse("2026-11-21T10:00:00Z").plusSeconds(second);
  }

  SignedEvent sign(OrgCredentials by, AuditEvent e, int second) {
    return SignedEvent.sign(e, by.org(), by.signingKey(), at(second));
  }

  OrgCertificate certificate(OrgCredentials org, String role) {
    return ca.issue(org.org(), List.of(role), org.signingKey().verifyingKey(), ISSUED, CertificateAuthority.MEMBER_VALIDITY);
  }

  /** {@code org}'s registration carrying {@code cert} (which a test may have made wrong), at second {@code second}. */
  SignedEvent register(OrgCredentials org, String role, OrgCertificate cert, int second) {
    AuditEvent.OrgRegistered plain = org.registration(org.org().value(), role);
    return sign(org, new AuditEvent.OrgRegistered(
        plain.org(), plain.displayName(), plain.role(), plain.signingKey(), plain.encryptionKey(), Optional.of(cert)), second);
  }

  /** Every organisation enrolled (entries 0-3), two datasets and their policies (4-7). */
  List<SignedEvent> setup() {
    return setupWith(register(s.hospitalA, "member", certificate(s.hospitalA, "member"), 0));
  }

  /** As {@link #setup()}, with hospital-a registered by {@code hospitalARegistration} (entry 0). */
  List<SignedEvent> setupWith(SignedEvent hospitalARegistration) {
    return List.of(
        hospitalARegistration,
        register(s.hospitalB, "member", certificate(s.hospitalB, "member"), 1),
        register(s.insurer, "member", certificate(s.insurer, "member"), 2),
        register(s.operator, AuditEvent.OrgRegistered.OPERATOR, certificate(s.operator, AuditEvent.OrgRegistered.OPERATOR), 3),
        sign(s.hospitalA, new AuditEvent.DatasetPublished(s.claimsA, s.manifestA, 1000, 4, Digest.sha256(new byte[] {1})), 4),
        sign(s.hospitalB, new AuditEvent.DatasetPublished(s.claimsB, s.manifestB, 2000, 8, Digest.sha256(new byte[] {2})), 5),
        sign(s.hospitalA, new AuditEvent.PolicyPublished(s.claimsA.dataset(), "claims-stats", s.policyA), 6),
        sign(s.hospitalB, new AuditEvent.PolicyPublished(s.claimsB.dataset(), "claims-stats", s.policyB), 7));
  }

  /** A further policy of hospital-b: an ordinary event to sign after something happened to hospital-b. */
  SignedEvent hospitalBPublishesAgain(int second) {
    return sign(s.hospitalB, new AuditEvent.PolicyPublished(s.claimsB.dataset(), "claims-stats-2",
        Digest.sha256("policy b2".getBytes(StandardCharsets.UTF_8))), second);
  }

  /** The auditor's view: the root of {@link #ca} pinned in its consortium configuration. */
  VerificationReport verify(List<SignedEvent> events) {
    return verify(events, ca);
  }

  VerificationReport verify(List<SignedEvent> events, CertificateAuthority pinned) {
    Consortium c = Consortium.ofRoot(Optional.empty(), new ConsortiumRoot(pinned.root()));
    return LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey), AuditorTrust.NONE.withConsortium(c));
  }

  /** The failure's reason, or a failed assertion that it verified. */
  static String failure(VerificationReport r) {
    return r.failure().orElseThrow(() -> new AssertionError("expected verification to fail, but it verified")).reason();
  }

  static long failedEntry(VerificationReport r) {
    return r.failure().orElseThrow().index();
  }
}
