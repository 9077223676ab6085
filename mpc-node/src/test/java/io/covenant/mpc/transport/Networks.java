package io.covenant.mpc.transport;

import io.covenant.core.id.OrgId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Builds three connected channels for transport tests. */
final class Networks {
  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("hospital-c"));

  enum Kind { IN_PROCESS, TCP, TLS }

  /** The consortium whose certificates the TLS channels present. */
  static final TestConsortium CONSORTIUM = TestConsortium.create("Transport tests");

  /**
   * Every simulated party needs a thread of its own: the common fork-join pool may have a single thread on a small
   * machine, which would run the parties one after another and deadlock them.
   */
  private static final ExecutorService PARTY_THREADS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().factory());

  static <T> CompletableFuture<T> async(Supplier<T> party) {
    return CompletableFuture.supplyAsync(party, PARTY_THREADS);
  }

  static CompletableFuture<Void> async(Runnable party) {
    return CompletableFuture.runAsync(party, PARTY_THREADS);
  }

  static List<PartyChannel> connect(Kind kind, Duration timeout) {
    return switch (kind) {
      case IN_PROCESS -> InProcessNetwork.connect(COMMITTEE, timeout);
      case TCP -> tcp(timeout);
      case TLS -> tls(timeout);
    };
  }

  static InetSocketAddress ephemeral() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  static List<PartyChannel> tcp(Duration timeout) {
    List<TcpPartyChannel.Listener> listeners = new ArrayList<>();
    for (Party p : Party.all()) listeners.add(TcpPartyChannel.listen(p, COMMITTEE, ephemeral(), timeout));
    List<CompletableFuture<PartyChannel>> connecting = new ArrayList<>();
    for (Party p : Party.all()) {
      InetSocketAddress next = listeners.get(p.next().index()).address();
      connecting.add(async(() -> listeners.get(p.index()).connect(next)));
    }
    return connecting.stream().map(CompletableFuture::join).toList();
  }

  /** The three parties over mutual TLS on loopback, each presenting its own organisation's certificate. */
  static List<PartyChannel> tls(Duration timeout) {
    List<TcpPartyChannel.Listener> listeners = new ArrayList<>();
    for (Party p : Party.all()) {
      listeners.add(TcpPartyChannel.listen(p, COMMITTEE, ephemeral(), timeout, CONSORTIUM.member(COMMITTEE.member(p))));
    }
    List<CompletableFuture<PartyChannel>> connecting = new ArrayList<>();
    for (Party p : Party.all()) {
      InetSocketAddress next = listeners.get(p.next().index()).address();
      connecting.add(async(() -> listeners.get(p.index()).connect(next)));
    }
    return connecting.stream().map(CompletableFuture::join).toList();
  }

  private Networks() {}
}
