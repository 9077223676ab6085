package io.covenant.coordinator.http;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.error.CovenantException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The coordinator's end of mutual TLS ({@code serve --tls}): the operator's consortium certificate and signing key as
 * the server's identity, TLS 1.3 only, a client certificate required that chains to the root pinned in the data
 * directory's {@code consortium.json} and whose fingerprint no ORG_REVOKED names ({@link MutualTls}, RFC 8446). The
 * key stays in this process's memory: nothing is written for the TLS server (no key-store file, no password).
 */
@Singleton
@Requires(property = "covenant.tls", value = "true")
final class OperatorTls {
  private final MutualTls tls;

  OperatorTls(LocalDeployment deployment, Callers callers) {
    ConsortiumRoot root = deployment.pinnedRoot().orElseThrow(() -> new CovenantException(
        "'serve --tls' needs a consortium root pinned in " + deployment.consortiumFile() + ", and there is none; a root is pinned with "
            + "'./covenant ca init' before a deployment's first organisation, so start a new data directory with it"));
    AuditEvent.OrgRegistered operator = deployment.requireOrganisation(LocalDeployment.OPERATOR);
    OrgCertificate certificate = operator.certificate().orElseThrow(() -> new CovenantException(
        "the operator of " + deployment.dataDir() + " registered without a certificate, so it cannot serve mutual TLS; make the data "
            + "directory with './covenant ca init' first"));
    this.tls = MutualTls.of(LocalDeployment.OPERATOR, deployment.keystore(LocalDeployment.OPERATOR).credentials().signingKey(), certificate,
        root, callers.revocations()::certificateRevoked, Clock.systemUTC());
  }

  MutualTls tls() {
    return tls;
  }
}
