package io.covenant.coordinator.http;

import io.covenant.ledger.LedgerRevocations;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.identity.OrgCertificate;
import io.covenant.core.id.OrgId;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.util.Optional;

/**
 * Who sent a request. With {@code covenant.tls} ({@code serve --tls}) every request arrives over mutual TLS, and the
 * handshake already refused certificates from outside the consortium, expired ones and revoked ones ({@link
 * OperatorTls}); this reads the organisation from the client certificate and refuses, again, an organisation revoked
 * since the connection was opened. Without TLS there is no caller: the API is what it was, on loopback by default.
 */
@Singleton
final class Callers {
  private final boolean tls;
  private final LedgerRevocations revocations;

  Callers(@Value("${covenant.tls:false}") boolean tls, LocalDeployment deployment) {
    this.tls = tls;
    this.revocations = new LedgerRevocations(deployment.ledger());
  }

  boolean tls() {
    return tls;
  }

  LedgerRevocations revocations() {
    return revocations;
  }

  /** The caller of {@code request}; empty when the API is served without TLS. Refuses a request without a member's certificate. */
  Optional<Caller> of(HttpRequest<?> request) {
    if (!tls) return Optional.empty();
    Certificate presented = request.getCertificate().orElseThrow(() -> new CallerUnauthenticatedException(
        "this API is served over mutual TLS and the request came without a client certificate; connect with your organisation's "
            + "consortium certificate"));
    OrgCertificate cert;
    try {
      // Under the national suite the TLS certificate is a transport certificate carrying the SM2 one (MutualTls).
      cert = io.covenant.core.identity.MutualTls.consortiumCertificateOf(OrgCertificate.fromDer(presented.getEncoded()));
    } catch (CertificateEncodingException | RuntimeException e) {
      throw new CallerUnauthenticatedException("the client certificate cannot be read as a consortium certificate; connect with the one the consortium's CA issued");
    }
    OrgId org = cert.org().orElseThrow(() -> new CallerUnauthenticatedException(
        "the client certificate ('" + cert.subjectName() + "') names no organisation; connect with the one the consortium's CA issued"));
    if (revocations.certificateRevoked(cert.fingerprint()) || revocations.organisationRevoked(org)) {
      throw new CallerForbiddenException(org + "'s certificate was revoked by the consortium (ORG_REVOKED on the ledger); it may no longer use this API");
    }
    return Optional.of(Caller.of(org, cert.roles()));
  }
}
