package io.covenant.node;

import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How one organisation's node runs: whose it is, its own folder (keystore, policy records, the last ledger checkpoint
 * it verified, the consortium's configuration), the coordinator's API it reads the ledger through, where it listens,
 * which organisation's JOB_AUTHORIZED it accepts (the coordinator's operator), and the simulation key it trusts, if
 * its owner accepts simulated enclaves at all (its policies must still opt in).
 *
 * <p>Layout of {@code dataDir}: {@code consortium.json} (the pinned root and log key), {@code orgs/<org>/} (the
 * encrypted keystore, {@code certificate.pem}, {@code policies/}, {@code intersections/}), {@code ledger-mirror.json}, {@code witness/} (its
 * witness key and the latest checkpoint it cosigned, when the organisation witnesses the log).
 */
public record NodeConfig(OrgId org, Path dataDir, URI coordinatorApi, InetSocketAddress listen, OrgId authoriser, Optional<VerifyingKey> trustedSimulationKey) {
  public NodeConfig {
    if (org == null || dataDir == null || coordinatorApi == null || listen == null || authoriser == null || trustedSimulationKey == null) {
      throw new MalformedInputException("a node needs its organisation, data directory, the coordinator's API, an address to listen on and the authoriser");
    }
  }

  public Path orgDir() {
    return dataDir.resolve("orgs").resolve(org.value());
  }

  public Path certificateFile() {
    return orgDir().resolve("certificate.pem");
  }

  public Path consortiumFile() {
    return dataDir.resolve("consortium.json");
  }

  /** The node's witness of the log ({@code witness/}), if its organisation witnesses it. */
  /** Where the node keeps the ids it matched as the other owner of an intersection both owners learn: {@code intersections/<job>.txt}. */
  public Path intersectionsDir() {
    return orgDir().resolve("intersections");
  }

  public Path witnessDir() {
    return dataDir.resolve("witness");
  }

  public Path mirrorState() {
    return dataDir.resolve("ledger-mirror.json");
  }
}
