package io.covenant.node.keystore;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;

/**
 * An organisation's keystore did not open: no passphrase or key file was given, or the one given is wrong (or the
 * file was altered, which AES-GCM cannot tell apart from a wrong key). The message names the organisation and where the
 * secret was looked for, never the secret. Nothing was changed.
 */
public final class KeystoreLockedException extends CovenantException {
  private final OrgId org;

  public KeystoreLockedException(OrgId org, String message) {
    super(message);
    this.org = org;
  }

  public OrgId org() {
    return org;
  }
}
