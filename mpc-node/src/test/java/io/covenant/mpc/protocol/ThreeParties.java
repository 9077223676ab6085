package io.covenant.mpc.protocol;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.mpc.engine.PartySession;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.sharing.ReplicatedSharing;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Committee;
import io.covenant.mpc.transport.InProcessNetwork;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs a program as the three parties over in-process channels that record every message each party receives and
 * count the rounds (messages sent) and words after the key set-up.
 */
final class ThreeParties {
  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("hospital-c"));

  record Outcome<R>(List<R> results, List<RecordingChannel> channels) {
    R of(Party p) {
      return results.get(p.index());
    }

    /** The secret behind results that are each party's ShareVector. */
    long[] open() {
      return ReplicatedSharing.reconstruct((ShareVector) results.get(0), (ShareVector) results.get(1));
    }

    double[] openFixedPoint() {
      return FixedPoint.DEFAULT.decode(open());
    }

    long messagesSentBy(Party p) {
      return channels.get(p.index()).messagesSent;
    }

    long wordsSentBy(Party p) {
      return channels.get(p.index()).wordsSent;
    }
  }

  static <R> Outcome<R> run(Function<PartySession, R> program) {
    List<RecordingChannel> channels = InProcessNetwork.connect(COMMITTEE, Duration.ofSeconds(60)).stream().map(RecordingChannel::new).toList();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (RecordingChannel c : channels) {
        futures.add(pool.submit(() -> {
          try {
            PartySession s = PartySession.start(c, FixedPoint.DEFAULT);
            c.reset();
            return program.apply(s);
          } catch (RuntimeException e) {
            c.close(); // the others learn at once that this party left, instead of waiting for the timeout
            throw e;
          }
        }));
      }
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) results.add(f.get());
      return new Outcome<>(results, channels);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new CovenantException("a party failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted", e);
    } finally {
      pool.shutdownNow();
      channels.forEach(RecordingChannel::close);
    }
  }

  /** Shares a vector owned by party 0 (each party passes the same array; only party 0's is used). */
  static ShareVector input(PartySession s, Party owner, long[] values) {
    return s.input(owner, s.self().equals(owner) ? values : null);
  }

  static ShareVector inputFixedPoint(PartySession s, Party owner, double[] values) {
    return s.inputFixedPoint(owner, s.self().equals(owner) ? values : null);
  }

  /** Counts what a party sends and keeps what it receives, as a curious party would. */
  static final class RecordingChannel implements PartyChannel {
    private final PartyChannel inner;
    long messagesSent;
    long wordsSent;
    boolean recording;
    final List<long[]> received = new ArrayList<>();

    RecordingChannel(PartyChannel inner) {
      this.inner = inner;
    }

    void reset() {
      messagesSent = 0;
      wordsSent = 0;
      recording = true;
      received.clear();
    }

    @Override
    public Party self() {
      return inner.self();
    }

    @Override
    public Committee committee() {
      return inner.committee();
    }

    @Override
    public void sendToNext(long[] words) {
      messagesSent++;
      wordsSent += words.length;
      inner.sendToNext(words);
    }

    @Override
    public void sendToPrevious(long[] words) {
      messagesSent++;
      wordsSent += words.length;
      inner.sendToPrevious(words);
    }

    @Override
    public long[] receiveFromNext() {
      return keep(inner.receiveFromNext());
    }

    @Override
    public long[] receiveFromPrevious() {
      return keep(inner.receiveFromPrevious());
    }

    private long[] keep(long[] m) {
      if (recording) received.add(m.clone());
      return m;
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
