package io.covenant.mpc.sharing;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
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

/** Runs one protocol step as the three parties, each on its own thread, over counting in-process channels. */
final class InProcessParties {
  static final Committee COMMITTEE = Committee.of(OrgId.of("hospital-a"), OrgId.of("insurer-b"), OrgId.of("hospital-c"));

  interface Step<R> {
    R run(PartyChannel channel, CorrelatedRandomness randomness);
  }

  /** Results and the words each party sent during the step (after the key set-up). */
  record Outcome<R>(List<R> results, List<CountingChannel> channels) {
    R of(Party p) {
      return results.get(p.index());
    }
  }

  static <R> Outcome<R> run(Step<R> step) {
    List<CountingChannel> channels = InProcessNetwork.connect(COMMITTEE, Duration.ofSeconds(20)).stream().map(CountingChannel::new).toList();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (CountingChannel c : channels) {
        futures.add(pool.submit(() -> {
          CorrelatedRandomness r = CorrelatedRandomness.establish(c);
          c.reset();
          return step.run(c, r);
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
      channels.forEach(CountingChannel::close);
    }
  }

  /** Counts messages and words sent in each direction. */
  static final class CountingChannel implements PartyChannel {
    private final PartyChannel inner;
    volatile long wordsToNext;
    volatile long wordsToPrevious;
    volatile int messagesToNext;
    volatile int messagesToPrevious;

    CountingChannel(PartyChannel inner) {
      this.inner = inner;
    }

    void reset() {
      wordsToNext = wordsToPrevious = 0;
      messagesToNext = messagesToPrevious = 0;
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
      wordsToNext += words.length;
      messagesToNext++;
      inner.sendToNext(words);
    }

    @Override
    public void sendToPrevious(long[] words) {
      wordsToPrevious += words.length;
      messagesToPrevious++;
      inner.sendToPrevious(words);
    }

    @Override
    public long[] receiveFromNext() {
      return inner.receiveFromNext();
    }

    @Override
    public long[] receiveFromPrevious() {
      return inner.receiveFromPrevious();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  private InProcessParties() {}
}
