package io.covenant.mpc.transport;

import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Organisations and helpers shared by the TLS peer-link tests. */
final class TlsLinkFixture {
  static final OrgId A = OrgId.of("hospital-a");
  static final OrgId B = OrgId.of("insurer-b");
  static final OrgId C = OrgId.of("hospital-c");
  static final TestConsortium CONSORTIUM = TestConsortium.create("Peer-link tests");

  static TlsPeerLinks.Listener listen(OrgId org, Duration timeout) {
    return TlsPeerLinks.listen(CONSORTIUM.member(org), Networks.ephemeral(), timeout);
  }

  static PeerLink connect(OrgId from, InetSocketAddress to, OrgId peer, JobId job, Duration timeout) {
    return TlsPeerLinks.connect(CONSORTIUM.member(from), to, peer, job, timeout);
  }

  static CompletableFuture<PeerLink> acceptAsync(TlsPeerLinks.Listener listener, JobId job, OrgId peer) {
    return Networks.async(() -> listener.accept(job, peer));
  }

  /** The exception a future failed with, unwrapped. */
  static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got " + f.join());
  }

  private TlsLinkFixture() {}
}
