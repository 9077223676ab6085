package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.cli.CovenantCli;
import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * './covenant serve --tls' as an operator runs it, in its own JVM: on a consortium's data directory it serves HTTPS,
 * says so, and answers a member's certificate only; on a data directory without a pinned root it refuses to start,
 * saying how to make one, before binding any port.
 */
class ServeTlsFromTheCli {
  @TempDir Path dir;

  @Test
  void aConsortiumsCoordinatorServesMembersOnly() throws Exception {
    CertificateAuthority ca = CertificateAuthority.create("Test consortium", Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(30));
    List<DatasetVersion> versions = new ArrayList<>();
    Map<OrgId, OrgCertificate> certificates = TlsConsortium.prepare(dir, ca, versions);
    try (ServeProcess serve = new ServeProcess(dir, "--tls")) {
      assertTrue(serve.server().startsWith("https://127.0.0.1:"), serve.output.toString());
      assertTrue(serve.output.toString().contains("mutual TLS (TLS 1.3)"), serve.output.toString());
      OrgId auditor = TlsConsortium.AUDITOR;
      MutualTls tls = MutualTls.of(auditor, LocalKeys.of(dir, auditor).signingKey(), certificates.get(auditor), new ConsortiumRoot(ca.root()),
          fingerprint -> false, Clock.systemUTC());
      var r = TlsConsortium.get(TlsConsortium.client(tls), serve.server() + "/api/datasets");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.body().contains(versions.get(0).toString()), r.body());
      assertThrows(IOException.class, () -> TlsConsortium.get(TlsConsortium.anonymous(), serve.server() + "/api/health"));
    }
  }

  @Test
  void withoutAPinnedRootItRefusesToStart() {
    LocalDeployment.open(dir).close();
    var run = CovenantCli.executeCaptured("serve", "--tls", "--port", "0", "--data-dir", dir.toString());
    assertEquals(1, run.exit(), run.out());
    assertTrue(run.err().contains("ca init") && !run.err().contains("\tat "), run.err());
  }
}
