package io.covenant.mpc.transport;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Peer links between organisations in one JVM (each on its own thread), joined by queues. Frames are copied on send and
 * on receipt, exactly as a network would, so no party ever observes another party's arrays. For tests and for runs that
 * say "in-process parties" on every record they produce.
 */
public final class InProcessLinks {
  private InProcessLinks() {}

  /** The two ends of one link: {@code first} is held by {@code a} and talks to {@code b}; {@code second} the reverse. */
  public record Pair(PeerLink first, PeerLink second) {}

  /** A link between {@code a} and {@code b}. */
  public static Pair pair(OrgId a, OrgId b, Duration peerTimeout) {
    requirePositive(peerTimeout);
    if (a.equals(b)) throw new MalformedInputException("a link joins two different organisations; both ends are " + a);
    BlockingQueue<byte[]> aToB = new LinkedBlockingQueue<>();
    BlockingQueue<byte[]> bToA = new LinkedBlockingQueue<>();
    return new Pair(new QueueLink(a, b, peerTimeout, aToB, bToA), new QueueLink(b, a, peerTimeout, bToA, aToB));
  }

  /**
   * A link between every two of {@code orgs}: {@code mesh.get(x).get(y)} is x's end of the link to y. For protocols in
   * which every party talks to every other (pairwise masks) or to one aggregator (use only the aggregator's links).
   */
  public static Map<OrgId, Map<OrgId, PeerLink>> mesh(List<OrgId> orgs, Duration peerTimeout) {
    requirePositive(peerTimeout);
    if (new HashSet<>(orgs).size() != orgs.size()) throw new MalformedInputException("a mesh names each organisation once; got " + orgs);
    Map<OrgId, Map<OrgId, PeerLink>> out = new LinkedHashMap<>();
    for (OrgId o : orgs) out.put(o, new LinkedHashMap<>());
    List<OrgId> list = new ArrayList<>(orgs);
    for (int i = 0; i < list.size(); i++) {
      for (int j = i + 1; j < list.size(); j++) {
        Pair p = pair(list.get(i), list.get(j), peerTimeout);
        out.get(list.get(i)).put(list.get(j), p.first());
        out.get(list.get(j)).put(list.get(i), p.second());
      }
    }
    out.replaceAll((k, v) -> Map.copyOf(v));
    return Map.copyOf(out);
  }

  private static void requirePositive(Duration peerTimeout) {
    if (peerTimeout == null || peerTimeout.isNegative() || peerTimeout.isZero()) {
      throw new MalformedInputException("the peer timeout must be positive, e.g. Duration.ofSeconds(10)");
    }
  }

  private static final class QueueLink implements PeerLink {
    // Identity-compared markers; a real frame is always a fresh copy, so it can never be one of these.
    private static final byte[] PEER_LEFT = new byte[0];
    private static final byte[] SELF_CLOSED = new byte[0];

    private final OrgId self;
    private final OrgId peer;
    private final Duration timeout;
    private final BlockingQueue<byte[]> out;
    private final BlockingQueue<byte[]> in;
    private volatile boolean closed;
    private volatile boolean peerLeft;

    QueueLink(OrgId self, OrgId peer, Duration timeout, BlockingQueue<byte[]> out, BlockingQueue<byte[]> in) {
      this.self = self;
      this.peer = peer;
      this.timeout = timeout;
      this.out = out;
      this.in = in;
    }

    @Override
    public OrgId self() {
      return self;
    }

    @Override
    public OrgId peer() {
      return peer;
    }

    @Override
    public void send(byte[] frame) {
      if (closed) throw PeerFailure.sendAfterClose(self, peer);
      if (frame.length > MAX_FRAME_BYTES) throw PeerFailure.frameTooLarge(self, peer, frame.length);
      out.add(frame.clone());
    }

    @Override
    public byte[] receive() {
      if (closed) throw cancelled();
      if (peerLeft) throw left();
      byte[] m;
      try {
        m = in.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PeerFailure.interrupted(self, peer);
      }
      if (m == null) throw PeerFailure.silent(self, peer, timeout);
      if (m == SELF_CLOSED) throw cancelled();
      if (m == PEER_LEFT) {
        peerLeft = true;
        throw left();
      }
      return m.clone();
    }

    private PeerLinkException left() {
      return PeerFailure.left(self, peer, null);
    }

    private PeerLinkException cancelled() {
      return PeerFailure.cancelled(self, peer);
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      out.add(PEER_LEFT);
      in.add(SELF_CLOSED); // wakes this side's own thread if another thread closes the link while it waits
    }

    @Override
    public String toString() {
      return "InProcessLink[" + self + " -> " + peer + "]";
    }
  }
}
