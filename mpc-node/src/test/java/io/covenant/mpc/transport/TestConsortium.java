package io.covenant.mpc.transport;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.CertificateAuthority;
import io.covenant.core.identity.ConsortiumRoot;
import io.covenant.core.identity.MutualTls;
import io.covenant.core.identity.OrgCertificate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A consortium certificate authority for tests, and the mutual-TLS identities of its members, built the way
 * {@code ./covenant ca init} and {@code ./covenant org enrol} build them. Certificates are real Ed25519 X.509 ones.
 */
public final class TestConsortium {
  private static final Instant NOW = Instant.now();
  private static final ExecutorService THREADS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());
  private final CertificateAuthority ca;
  private final Map<OrgId, MutualTls> members = new LinkedHashMap<>();

  private TestConsortium(String name) {
    this.ca = CertificateAuthority.create(name, NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
  }

  /** A fresh consortium with its own root. */
  public static TestConsortium create(String name) {
    return new TestConsortium(name);
  }

  /** The identity of {@code org} in this consortium (issued once, then reused). */
  public synchronized MutualTls member(OrgId org) {
    return members.computeIfAbsent(org, o -> {
      SigningKey key = SigningKey.generate();
      OrgCertificate cert = ca.issue(o, List.of("owner"), key.verifyingKey(), NOW.minus(Duration.ofHours(1)), Duration.ofDays(10));
      return MutualTls.of(o, key, cert, new ConsortiumRoot(ca.root()), fingerprint -> false, Clock.systemUTC());
    });
  }

  /** Identities of every committee member, keyed by organisation. */
  public Map<OrgId, MutualTls> members(Committee committee) {
    Map<OrgId, MutualTls> out = new LinkedHashMap<>();
    for (OrgId o : committee.members()) out.put(o, member(o));
    return out;
  }

  /**
   * A link between {@code a} and {@code b} over mutual TLS on loopback for a fresh job: {@code b} listens, {@code a}
   * dials. {@code first} is {@code a}'s end.
   */
  public InProcessLinks.Pair tlsPair(OrgId a, OrgId b, Duration peerTimeout) {
    JobId job = JobId.random();
    try (TlsPeerLinks.Listener listener = TlsPeerLinks.listen(member(b), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), peerTimeout)) {
      CompletableFuture<PeerLink> accepted = CompletableFuture.supplyAsync(() -> listener.accept(job, a), THREADS);
      PeerLink dialled = TlsPeerLinks.connect(member(a), listener.address(), b, job, peerTimeout);
      return new InProcessLinks.Pair(dialled, accepted.join());
    }
  }

  /**
   * An identity for {@code org} whose certificate another consortium's CA issued (and which trusts only that CA): a
   * node that copied a member's name but not its certificate.
   */
  public MutualTls outsider(OrgId org) {
    CertificateAuthority foreign = CertificateAuthority.create("Another consortium", NOW.minus(Duration.ofDays(1)), Duration.ofDays(30));
    SigningKey key = SigningKey.generate();
    OrgCertificate cert = foreign.issue(org, List.of("owner"), key.verifyingKey(), NOW.minus(Duration.ofHours(1)), Duration.ofDays(10));
    return MutualTls.of(org, key, cert, new ConsortiumRoot(foreign.root()), fingerprint -> false, Clock.systemUTC());
  }
}
