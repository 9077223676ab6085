package io.covenant.core.crypto;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.OrgId;

/** What an organisation holds privately: its signing key and its HPKE decryption key. Never printed. */
public record OrgCredentials(OrgId org, SigningKey signingKey, HpkeKeyPair encryptionKeys) {

  public static OrgCredentials generate(OrgId org) {
    return generate(org, CryptoSuite.INTL);
  }

  /** New credentials under {@code suite}: its signing key and its sealing key pair. */
  public static OrgCredentials generate(OrgId org, CryptoSuite suite) {
    return new OrgCredentials(org, suite.generateSigningKey(), suite.generateSealingKeys());
  }

  /** The public half, as the ORG_REGISTERED event announces it. */
  public AuditEvent.OrgRegistered registration(String displayName, String role) {
    return new AuditEvent.OrgRegistered(org, displayName, role, signingKey.verifyingKey(), encryptionKeys.publicKey());
  }

  @Override
  public String toString() {
    return "OrgCredentials[" + org + ", redacted]";
  }
}
