package io.covenant.coordinator;

import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.coordinator.deployment.DatabaseSpec;
import io.covenant.coordinator.deployment.LedgerSpec;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;

/**
 * A consortium with a pinned root whose coordinator serves its API over mutual TLS ({@code serve --tls}, in this JVM):
 * two hospitals (owners, each with a published claims dataset and the demo policy), two insurers (consumers) and an
 * auditor, each enrolled by the consortium's CA. {@link #member} is an organisation's own HTTPS client, presenting its
 * certificate and signing key, as its node would.
 */
final class TlsConsortium implements AutoCloseable {
  static final OrgId HOSPITAL_A = OrgId.of("hospital-a");
  static final OrgId HOSPITAL_B = OrgId.of("hospital-b");
  static final OrgId INSURER_X = HospitalInsurerDemo.INSURER;
  static final OrgId INSURER_Y = OrgId.of("insurer-y");
  static final OrgId AUDITOR = OrgId.of("auditor-z");

  final Path dir;
  final CertificateAuthority ca = CertificateAuthority.create("Test consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
  final ConsortiumRoot root = new ConsortiumRoot(ca.root());
  final List<DatasetVersion> versions = new ArrayList<>();
  final ApplicationContext context;
  final String base;

  TlsConsortium(Path dir) {
    this.dir = dir;
    prepare(dir, ca, versions);
    context = ApplicationContext.run(Map.of("covenant.data-dir", dir.toString(), "covenant.tls", true, "micronaut.server.ssl.enabled", true,
        "micronaut.server.ssl.port", -1, "micronaut.server.dual-protocol", false, "micronaut.server.host", "127.0.0.1",
        "micronaut.banner.enabled", false));
    EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
    base = server.getURL() + "/api";
  }

  /**
   * Pins {@code ca}'s root in a new data directory and enrols the operator, the hospitals (each publishing its claims,
   * whose versions go to {@code versions}, and the demo policy without a budget), the insurers and the auditor; returns
   * each organisation's certificate as its ORG_REGISTERED carries it.
   */
  static Map<OrgId, OrgCertificate> prepare(Path dir, CertificateAuthority ca, List<DatasetVersion> versions) {
    LocalDeployment.pinRoot(dir, new ConsortiumRoot(ca.root()));
    try (LocalDeployment d = LocalDeployment.open(dir, BlockstoreSpec.LOCAL, LedgerSpec.EMBEDDED, DatabaseSpec.EMBEDDED, Optional.of(ca))) {
      d.createOrganisation(HOSPITAL_A, "Hospital A", Set.of(OrgRole.OWNER));
      d.createOrganisation(HOSPITAL_B, "Hospital B", Set.of(OrgRole.OWNER));
      d.createOrganisation(INSURER_X, "Insurer X", Set.of(OrgRole.CONSUMER));
      d.createOrganisation(INSURER_Y, "Insurer Y", Set.of(OrgRole.CONSUMER));
      d.createOrganisation(AUDITOR, "Auditor Z", Set.of(OrgRole.AUDITOR));
      try (RootAllocator allocator = new RootAllocator()) {
        long seed = 1;
        for (OrgId h : List.of(HOSPITAL_A, HOSPITAL_B)) {
          try (var batches = SyntheticClaims.generate(allocator, seed++, 200, 1.0, 256)) {
            versions.add(d.owner(h).publish("claims", SyntheticClaims.SCHEMA, batches).version());
          }
          d.owner(h).publishPolicy(SmallFederation.exactPolicy(h));
        }
      }
      Map<OrgId, OrgCertificate> certificates = new java.util.HashMap<>();
      for (var reg : d.organisations()) certificates.put(reg.org(), reg.certificate().orElseThrow());
      return certificates;
    }
  }

  /** The deployment the server runs on (for the CA's revocations, which the operator appends). */
  LocalDeployment deployment() {
    return context.getBean(LocalDeployment.class);
  }

  OrgCredentials credentials(OrgId org) {
    return LocalKeys.of(dir, org);
  }

  /** {@code org}'s own mutual-TLS identity: its signing key and the certificate its ORG_REGISTERED carries. */
  MutualTls tls(OrgId org) {
    OrgCertificate cert = deployment().ledger().organisation(org).orElseThrow().certificate().orElseThrow();
    return MutualTls.of(org, credentials(org).signingKey(), cert, root, fingerprint -> false, Clock.systemUTC());
  }

  /** An HTTPS client presenting {@code org}'s certificate. */
  HttpClient member(OrgId org) {
    return client(tls(org));
  }

  static HttpClient client(MutualTls tls) {
    return HttpClient.newBuilder().sslContext(tls.context()).sslParameters(tls.parameters(false)).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /**
   * A client presenting a certificate another CA issued in {@code org}'s name. It trusts any server, so that only the
   * coordinator's own check stands between it and the API.
   */
  HttpClient foreign(OrgId org) throws Exception {
    CertificateAuthority other = CertificateAuthority.create("Another consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
    SigningKey key = SigningKey.generate();
    OrgCertificate cert = other.issue(org, List.of("data-owner"), key.verifyingKey(), Instant.now().minus(Duration.ofHours(1)), Duration.ofDays(10));
    return raw(key, cert);
  }

  /** A client presenting {@code org}'s real certificate, but trusting any server (for the revoked member, whose own check would refuse nothing). */
  HttpClient rawMember(OrgId org) throws Exception {
    OrgCertificate cert = deployment().ledger().organisation(org).orElseThrow().certificate().orElseThrow();
    return raw(credentials(org).signingKey(), cert);
  }

  /** A TLS 1.3 client with no certificate at all, trusting any server. */
  static HttpClient anonymous() throws Exception {
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance(MutualTls.PROTOCOL);
    ctx.init(null, new javax.net.ssl.TrustManager[] {new TrustingAnyServer()}, null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  private static HttpClient raw(SigningKey key, OrgCertificate cert) throws Exception {
    // RFC 8410 section 7: an Ed25519 private key as PKCS#8 is this prefix and the 32-byte seed.
    byte[] prefix = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    byte[] pkcs8 = java.util.Arrays.copyOf(prefix, prefix.length + 32);
    System.arraycopy(key.seedForKeystore(), 0, pkcs8, prefix.length, 32);
    var privateKey = java.security.KeyFactory.getInstance("Ed25519").generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
    var x509 = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(cert.der()));
    java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("self", privateKey, new char[0], new java.security.cert.Certificate[] {x509});
    javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("SunX509");
    kmf.init(ks, new char[0]);
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance(MutualTls.PROTOCOL);
    ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {new TrustingAnyServer()}, null);
    return HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** Accepts any server: these clients test the server's checks, not their own. */
  private static final class TrustingAnyServer extends javax.net.ssl.X509ExtendedTrustManager {
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {}
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {}
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, java.net.Socket s) {}
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}
    public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a, javax.net.ssl.SSLEngine e) {}
    public java.security.cert.X509Certificate[] getAcceptedIssuers() {
      return new java.security.cert.X509Certificate[0];
    }
  }

  static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> postJson(HttpClient client, String url, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    context.close();
  }
}
