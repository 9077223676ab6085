package io.covenant.coordinator.client;

import io.covenant.node.keystore.OrgKeystore;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.nio.file.Path;

/**
 * An organisation's credentials read from its keystore on this machine ({@code DATA_DIR/orgs/ORG/}), for a client that
 * signs on the caller's side. It never creates a keystore: a mistyped organisation must not get new keys.
 */
public final class LocalKeys {
  private LocalKeys() {}

  public static OrgCredentials of(Path dataDir, OrgId org) {
    Path dir = dataDir.resolve("orgs").resolve(org.value());
    if (!OrgKeystore.exists(dir)) {
      throw new CovenantException("no keystore of " + org + " under " + dataDir.resolve("orgs")
          + "; give the --data-dir that holds it (its keys never leave this machine)");
    }
    return OrgKeystore.open(dir, org).credentials();
  }
}
