package io.covenant.coordinator.http;

import io.covenant.core.identity.MutualTls;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.server.netty.ssl.CertificateProvidedSslBuilder;
import io.micronaut.http.server.netty.ssl.ServerSslBuilder;
import io.micronaut.http.ssl.ServerSslConfiguration;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Hands Micronaut's Netty server the operator's {@link MutualTls} context directly, in place of Micronaut's key-store
 * files: TLS 1.3 only, client authentication required, peers checked by the consortium's trust manager (chain to the
 * pinned root, validity, not revoked) during the handshake.
 */
@Singleton
@Requires(property = "covenant.tls", value = "true")
@Replaces(CertificateProvidedSslBuilder.class)
final class ConsortiumTlsServer implements ServerSslBuilder {
  private final ServerSslConfiguration configuration;
  private final OperatorTls operator;

  ConsortiumTlsServer(ServerSslConfiguration configuration, OperatorTls operator) {
    this.configuration = configuration;
    this.operator = operator;
  }

  @Override
  public ServerSslConfiguration getSslConfiguration() {
    return configuration;
  }

  @Override
  public Optional<SslContext> build() {
    return Optional.of(new JdkSslContext(operator.tls().context(), false, null, IdentityCipherSuiteFilter.INSTANCE,
        ApplicationProtocolConfig.DISABLED, ClientAuth.REQUIRE, new String[] {MutualTls.PROTOCOL}, false));
  }
}
