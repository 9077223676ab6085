package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Three parties in one JVM, each on its own thread, linked by queues. Messages are copied on send, exactly as a
 * network would, so a party can never observe another party's arrays. Used by tests and by single-machine runs.
 */
public final class InProcessNetwork {
  private InProcessNetwork() {}

  /** Channels for parties 0, 1 and 2, in that order. */
  public static List<PartyChannel> connect(Committee committee, Duration peerTimeout) {
    if (peerTimeout == null || peerTimeout.isNegative() || peerTimeout.isZero()) {
      throw new MalformedInputException("the peer timeout must be positive, e.g. Duration.ofSeconds(10)");
    }
    // toNext.get(i) carries party i's messages to party i+1; toPrevious.get(i) those to party i-1.
    List<BlockingQueue<long[]>> toNext = List.of(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
    List<BlockingQueue<long[]>> toPrevious = List.of(new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
    return Party.all().stream()
        .<PartyChannel>map(p -> new QueueChannel(p, committee, peerTimeout,
            toNext.get(p.index()), toPrevious.get(p.index()),
            toPrevious.get(p.next().index()), toNext.get(p.previous().index())))
        .toList();
  }

  private static final class QueueChannel implements PartyChannel {
    // Identity-compared markers; a real message is always a fresh copy, so it can never be one of these.
    private static final long[] PEER_LEFT = new long[0];
    private static final long[] SELF_CLOSED = new long[0];

    private final Party self;
    private final Committee committee;
    private final Duration timeout;
    private final BlockingQueue<long[]> outToNext;
    private final BlockingQueue<long[]> outToPrevious;
    private final BlockingQueue<long[]> inFromNext;
    private final BlockingQueue<long[]> inFromPrevious;
    private volatile boolean closed;
    private volatile boolean nextLeft;
    private volatile boolean previousLeft;

    QueueChannel(Party self, Committee committee, Duration timeout, BlockingQueue<long[]> outToNext, BlockingQueue<long[]> outToPrevious,
        BlockingQueue<long[]> inFromNext, BlockingQueue<long[]> inFromPrevious) {
      this.self = self;
      this.committee = committee;
      this.timeout = timeout;
      this.outToNext = outToNext;
      this.outToPrevious = outToPrevious;
      this.inFromNext = inFromNext;
      this.inFromPrevious = inFromPrevious;
    }

    @Override
    public Party self() {
      return self;
    }

    @Override
    public Committee committee() {
      return committee;
    }

    @Override
    public void sendToNext(long[] words) {
      send(outToNext, words);
    }

    @Override
    public void sendToPrevious(long[] words) {
      send(outToPrevious, words);
    }

    private void send(BlockingQueue<long[]> queue, long[] words) {
      if (closed) throw new CovenantException(committee.describe(self) + " tried to send after its channel was closed");
      if (words.length > TcpPartyChannel.MAX_WORDS) throw PeerFailure.oversized(committee, self, words.length);
      queue.add(words.clone());
    }

    @Override
    public long[] receiveFromNext() {
      long[] m = receive(inFromNext, self.next(), nextLeft);
      if (m == PEER_LEFT) {
        nextLeft = true;
        throw PeerFailure.left(committee, self, self.next(), null);
      }
      return m;
    }

    @Override
    public long[] receiveFromPrevious() {
      long[] m = receive(inFromPrevious, self.previous(), previousLeft);
      if (m == PEER_LEFT) {
        previousLeft = true;
        throw PeerFailure.left(committee, self, self.previous(), null);
      }
      return m;
    }

    private long[] receive(BlockingQueue<long[]> queue, Party peer, boolean peerLeft) {
      if (closed) throw PeerFailure.closedLocally(committee, self, peer);
      if (peerLeft) throw PeerFailure.left(committee, self, peer, null);
      long[] m;
      try {
        m = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw PeerFailure.interrupted(committee, self, peer);
      }
      if (m == null) throw PeerFailure.silent(committee, self, peer, timeout);
      if (m == SELF_CLOSED) throw PeerFailure.closedLocally(committee, self, peer);
      return m;
    }

    @Override
    public void close() {
      if (closed) return;
      closed = true;
      outToNext.add(PEER_LEFT);
      outToPrevious.add(PEER_LEFT);
      // Wakes this party's own thread if another thread closes the channel while it waits.
      inFromNext.add(SELF_CLOSED);
      inFromPrevious.add(SELF_CLOSED);
    }

    @Override
    public String toString() {
      return "InProcessChannel[" + committee.describe(self) + "]";
    }
  }
}
