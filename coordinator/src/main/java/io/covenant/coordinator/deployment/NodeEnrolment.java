package io.covenant.coordinator.deployment;

import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.ledger.verify.Consortium;
import io.covenant.ledger.witness.Witness;
import io.covenant.node.NodeConfig;
import io.covenant.node.keystore.OrgKeystore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Enrols an organisation whose keys live in its own node folder, not in the coordinator's data directory: fresh keys
 * in {@code <nodeDir>/orgs/<org>/} (sealed with a key file beside them, or the passphrase in the environment), a
 * certificate from the consortium CA for the new signing key ({@code certificate.pem}), the consortium's root and log
 * key in {@code <nodeDir>/consortium.json}, a witness of the log with a key of its own in {@code <nodeDir>/witness/},
 * and the organisation's self-signed ORG_REGISTERED (carrying the
 * certificate) on the coordinator's log. What the node then runs with needs nothing from the coordinator's folder.
 *
 * <p>If the registration is refused, the fresh keystore is removed again, so a retry starts clean.
 */
public final class NodeEnrolment {
  private NodeEnrolment() {}

  /** The witness the enrolment made in {@code nodeDir}, as the consortium's configuration lists it. */
  public static Consortium.Member witnessOf(Path nodeDir) {
    Witness w = Witness.open(nodeDir.resolve("witness"));
    return new Consortium.Member(w.name(), w.publicKey());
  }

  public static AuditEvent.OrgRegistered enrol(LocalDeployment coordinator, CertificateAuthority ca, OrgId org, String displayName, Set<OrgRole> roles,
      Path nodeDir, Clock clock) {
    ConsortiumRoot root = coordinator.pinnedRoot().orElseThrow(() -> new CovenantException("no consortium root is pinned in "
        + coordinator.consortiumFile() + "; a node joins with a certificate, so start from './covenant ca init'"));
    if (!ca.root().equals(root.certificate())) throw new CovenantException("the CA given is not the consortium root pinned in " + coordinator.consortiumFile());
    if (org.equals(LocalDeployment.OPERATOR)) throw new CovenantException(org + " is the installation's own identity; choose another name");
    if (coordinator.ledger().organisation(org).isPresent()) {
      throw new CovenantException("organisation " + org + " already exists on this consortium's log; see './covenant org list'");
    }
    NodeConfig paths = new NodeConfig(org, nodeDir, java.net.URI.create("https://unused/"), new java.net.InetSocketAddress(0), LocalDeployment.OPERATOR,
        Optional.empty());
    OrgKeystore keystore = OrgKeystore.create(paths.orgDir(), org, coordinator.suite());
    try {
      var creds = keystore.credentials();
      String role = OrgRole.wireForm(roles);
      OrgCertificate cert = ca.issue(org, List.of(role.split(",")), creds.signingKey().verifyingKey(), clock.instant(), CertificateAuthority.MEMBER_VALIDITY);
      AuditEvent.OrgRegistered plain = creds.registration(displayName, role);
      AuditEvent.OrgRegistered reg = new AuditEvent.OrgRegistered(plain.org(), plain.displayName(), plain.role(), plain.signingKey(), plain.encryptionKey(),
          Optional.of(cert));
      Files.writeString(paths.certificateFile(), cert.pem());
      Consortium.ofRoot(Optional.of(coordinator.ledger().checkpoint().logKey()), root).write(paths.consortiumFile());
      if (!Witness.exists(paths.witnessDir())) Witness.create(paths.witnessDir(), org.value(), coordinator.ledger().checkpoint().logKey());
      coordinator.ledger().append(SignedEvent.sign(reg, org, creds.signingKey(), clock.instant()));
      return reg;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(paths.certificateFile());
      } catch (IOException ignored) {
        // removed with the folder below, or left harmless: a certificate is public
      }
      OrgKeystore.removeUnused(paths.orgDir());
      if (e instanceof RuntimeException r) throw r;
      throw new CovenantException("cannot write the enrolment of " + org + " into " + nodeDir + ": " + e.getMessage(), e);
    }
  }
}
