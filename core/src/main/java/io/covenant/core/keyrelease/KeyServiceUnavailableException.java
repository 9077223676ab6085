package io.covenant.core.keyrelease;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;

/** An owner's key service could not be asked: its node is down, unreachable, or is not the owner's. Names the owner. */
public final class KeyServiceUnavailableException extends CovenantException {
  private final OrgId owner;

  public KeyServiceUnavailableException(OrgId owner, String message, Throwable cause) {
    super(message, cause);
    this.owner = owner;
  }

  public OrgId owner() {
    return owner;
  }
}
