package io.covenant.mpc.engine;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import io.covenant.core.identity.MutualTls;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.InProcessNetwork;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import io.covenant.mpc.transport.PeerUnavailableException;
import io.covenant.mpc.transport.TcpPartyChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntFunction;

/**
 * Runs a {@link PartyProgram} as all three parties of a committee inside this JVM, each party on its own thread with
 * its own channel: in-process queues, or TCP connections (plaintext or mutual TLS) on the loopback interface. This is the single-machine way to
 * run the engine (tests, demos, the embedded default); a deployed party node runs one party with
 * {@link PartySession#start} over its own channel.
 *
 * <p>If any party fails, the others see it through their channels (the failed party leaves, or stops answering) and
 * fail in turn; {@link #run} then throws the root cause, following "party A waited for party B" back to the party
 * that actually stopped, with the other parties' errors attached as suppressed exceptions. A party still running
 * two peer timeouts plus one second after the first failure is stuck and is cancelled (its channel closed, its
 * thread interrupted).
 */
public final class ThreePartyRuntime {
  private enum Transport { IN_PROCESS, TCP_LOOPBACK, TLS_LOOPBACK }

  private final Committee committee;
  private final Transport transport;
  private final Duration peerTimeout;
  private final FixedPoint fixedPoint;
  private final Map<OrgId, MutualTls> identities;

  private ThreePartyRuntime(Committee committee, Transport transport, Duration peerTimeout, FixedPoint fixedPoint) {
    this(committee, transport, peerTimeout, fixedPoint, Map.of());
  }

  private ThreePartyRuntime(Committee committee, Transport transport, Duration peerTimeout, FixedPoint fixedPoint, Map<OrgId, MutualTls> identities) {
    if (committee == null) throw new MalformedInputException("a runtime needs a committee of three organisations");
    if (peerTimeout == null || peerTimeout.isNegative() || peerTimeout.isZero()) {
      throw new MalformedInputException("the peer timeout must be positive, e.g. Duration.ofSeconds(10)");
    }
    this.committee = committee;
    this.transport = transport;
    this.peerTimeout = peerTimeout;
    this.fixedPoint = fixedPoint;
    this.identities = Map.copyOf(identities);
  }

  /** Parties linked by in-memory queues. */
  public static ThreePartyRuntime inProcess(Committee committee, Duration peerTimeout) {
    return new ThreePartyRuntime(committee, Transport.IN_PROCESS, peerTimeout, FixedPoint.DEFAULT);
  }

  /** Parties linked by TCP connections on 127.0.0.1, on ephemeral ports. */
  public static ThreePartyRuntime overTcpLoopback(Committee committee, Duration peerTimeout) {
    return new ThreePartyRuntime(committee, Transport.TCP_LOOPBACK, peerTimeout, FixedPoint.DEFAULT);
  }

  /**
   * Parties linked by TLS 1.3 connections with mutual authentication on 127.0.0.1, each party presenting its own
   * organisation's certificate from {@code identities} (one per committee member): the transport that nodes on
   * different hosts use, run on one machine.
   */
  public static ThreePartyRuntime overTlsLoopback(Committee committee, Map<OrgId, MutualTls> identities, Duration peerTimeout) {
    if (committee == null) throw new MalformedInputException("a runtime needs a committee of three organisations");
    for (OrgId member : committee.members()) {
      if (identities == null || !identities.containsKey(member)) {
        throw new MalformedInputException("the TLS runtime needs the mutual-TLS identity of every committee member; " + member + " has none");
      }
    }
    return new ThreePartyRuntime(committee, Transport.TLS_LOOPBACK, peerTimeout, FixedPoint.DEFAULT, identities);
  }

  /** The same runtime with another fixed-point encoding (default {@link FixedPoint#DEFAULT}). */
  public ThreePartyRuntime withFixedPoint(FixedPoint encoding) {
    return new ThreePartyRuntime(committee, transport, peerTimeout, encoding, identities);
  }

  public Committee committee() {
    return committee;
  }

  /**
   * Runs {@code program} as parties 0, 1 and 2 and returns their results in party order (an element may be null if
   * the program returns null).
   *
   * @throws CovenantException the root cause if any party failed; a {@link PeerUnavailableException} names the party
   *     that stopped answering or left
   */
  public <R> List<R> run(PartyProgram<R> program) {
    IntFunction<PartyChannel> opener = openChannels();
    Object[] results = new Object[3];
    Failure[] failures = new Failure[3];
    AtomicLong order = new AtomicLong();
    AtomicReferenceArray<PartyChannel> channels = new AtomicReferenceArray<>(3);
    boolean[] cancelled = new boolean[3];
    BlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
    Thread[] threads = new Thread[3];
    for (Party p : Party.all()) {
      int i = p.index();
      threads[i] = Thread.ofPlatform().daemon().name("mpc-party-" + i).start(() -> {
        PartyChannel channel = null;
        try {
          channel = opener.apply(i);
          channels.set(i, channel);
          results[i] = program.run(PartySession.start(channel, fixedPoint));
        } catch (Throwable t) {
          failures[i] = new Failure(p, order.getAndIncrement(), t);
        } finally {
          if (channel != null) channel.close();
          finished.add(i);
        }
      });
    }
    awaitAll(threads, finished, failures, channels, cancelled);
    List<Failure> happened = new ArrayList<>();
    for (Party p : Party.all()) {
      int i = p.index();
      if (cancelled[i] && threads[i].isAlive()) {
        happened.add(new Failure(p, Long.MAX_VALUE, new CovenantException(committee.describe(p)
            + "'s program did not stop when the computation was cancelled: it is stuck outside the protocol"), true));
      } else if (failures[i] != null) {
        happened.add(failures[i].withCancelled(cancelled[i]));
      }
    }
    if (!happened.isEmpty()) throw rootCause(happened);
    @SuppressWarnings("unchecked")
    List<R> typed = (List<R>) Collections.unmodifiableList(Arrays.asList(results));
    return typed;
  }

  private IntFunction<PartyChannel> openChannels() {
    if (transport == Transport.IN_PROCESS) {
      List<PartyChannel> channels = InProcessNetwork.connect(committee, peerTimeout);
      return channels::get;
    }
    List<TcpPartyChannel.Listener> listeners = new ArrayList<>();
    try {
      for (Party p : Party.all()) {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        listeners.add(transport == Transport.TLS_LOOPBACK
            ? TcpPartyChannel.listen(p, committee, loopback, peerTimeout, identities.get(committee.member(p)))
            : TcpPartyChannel.listen(p, committee, loopback, peerTimeout));
      }
    } catch (RuntimeException e) {
      listeners.forEach(TcpPartyChannel.Listener::close);
      throw e;
    }
    return i -> listeners.get(i).connect(listeners.get(Party.of(i).next().index()).address());
  }

  private void awaitAll(Thread[] threads, BlockingQueue<Integer> finished, Failure[] failures,
      AtomicReferenceArray<PartyChannel> channels, boolean[] cancelled) {
    boolean[] done = new boolean[3];
    int remaining = 3;
    long cancelAt = Long.MAX_VALUE;
    try {
      while (remaining > 0) {
        Integer i;
        if (cancelAt == Long.MAX_VALUE) {
          i = finished.take();
        } else {
          i = finished.poll(cancelAt - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        if (i == null) {
          cancelStragglers(threads, done, channels, cancelled);
          waitForCancelled(threads, done);
          return;
        }
        done[i] = true;
        remaining--;
        if (failures[i] != null && cancelAt == Long.MAX_VALUE) {
          // Parties that depend on the failed one learn of it within one peer timeout (two on TCP, where closing a
          // channel first flushes what was sent); a party still running after that is stuck in its own code.
          cancelAt = System.nanoTime() + peerTimeout.toNanos() * 2 + TimeUnit.SECONDS.toNanos(1);
        }
      }
    } catch (InterruptedException e) {
      cancelStragglers(threads, done, channels, cancelled);
      Thread.currentThread().interrupt();
      throw new CovenantException("the computation of committee " + committee.members() + " was interrupted and has been cancelled");
    }
  }

  private void cancelStragglers(Thread[] threads, boolean[] done, AtomicReferenceArray<PartyChannel> channels, boolean[] cancelled) {
    for (int i = 0; i < 3; i++) {
      if (done[i]) continue;
      cancelled[i] = true;
      PartyChannel c = channels.get(i);
      if (c != null) c.close();
      threads[i].interrupt();
    }
  }

  private void waitForCancelled(Thread[] threads, boolean[] done) {
    for (int i = 0; i < 3; i++) {
      if (done[i]) continue;
      try {
        // A program that ignores interruption is left behind (its thread is a daemon) rather than hanging the caller.
        threads[i].join(peerTimeout.plusSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The failure to report. A failure that is not about a peer (a program error, malformed input) is a root cause. Among
   * peer failures, "A could not hear from B" is followed to B's own failure, unless B was cancelled for being stuck:
   * then B is the culprit and A's error, which names B, is the one to report.
   */
  private CovenantException rootCause(List<Failure> failures) {
    List<Failure> live = failures.stream().filter(f -> !f.cancelled()).sorted().toList();
    Failure primary;
    if (live.isEmpty()) {
      primary = failures.stream().sorted().findFirst().orElseThrow();
    } else {
      primary = live.stream().filter(f -> !(f.error() instanceof PeerUnavailableException)).findFirst().orElse(null);
      if (primary == null) {
        primary = live.getFirst();
        Set<Party> visited = new HashSet<>(List.of(primary.party()));
        while (primary.error() instanceof PeerUnavailableException pu && visited.add(pu.peer())) {
          Failure ofPeer = live.stream().filter(f -> f.party().equals(pu.peer())).findFirst().orElse(null);
          if (ofPeer == null) break;
          primary = ofPeer;
        }
      }
    }
    CovenantException thrown = primary.error() instanceof CovenantException ce
        ? ce
        : new CovenantException(committee.describe(primary.party()) + "'s program failed: " + primary.error(), primary.error());
    for (Failure f : failures) {
      if (f != primary) thrown.addSuppressed(f.error());
    }
    return thrown;
  }

  private record Failure(Party party, long order, Throwable error, boolean cancelled) implements Comparable<Failure> {
    Failure(Party party, long order, Throwable error) {
      this(party, order, error, false);
    }

    Failure withCancelled(boolean wasCancelled) {
      return new Failure(party, order, error, wasCancelled);
    }

    @Override
    public int compareTo(Failure o) {
      return Long.compare(order, o.order);
    }
  }

  @Override
  public String toString() {
    return "ThreePartyRuntime[" + transport + ", " + committee.members() + "]";
  }
}
