package io.covenant.mpc.psi;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** Runs a receiver and a sender on two threads over an in-process link, as two organisations' nodes would. */
final class TwoParties {
  static final OrgId INSURER = OrgId.of("insurer-b");
  static final OrgId HOSPITAL = OrgId.of("hospital-a");

  record Outcome<T>(T receiver, T sender) {}

  static <T> Outcome<T> run(Duration timeout, Function<PeerLink, T> receiver, Function<PeerLink, T> sender) {
    return run(InProcessLinks.pair(INSURER, HOSPITAL, timeout), receiver, sender);
  }

  /** Runs the two parties over {@code pair}: the receiver (the insurer) holds {@code first}, the sender {@code second}. */
  static <T> Outcome<T> run(InProcessLinks.Pair pair, Function<PeerLink, T> receiver, Function<PeerLink, T> sender) {
    // One platform thread per party: the common pool has a single worker on a 2-core machine and would run them in turn.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CompletableFuture<T> r = CompletableFuture.supplyAsync(() -> {
      try (PeerLink l = pair.first()) {
        return receiver.apply(l);
      }
    }, threads);
    CompletableFuture<T> s = CompletableFuture.supplyAsync(() -> {
      try (PeerLink l = pair.second()) {
        return sender.apply(l);
      }
    }, threads);
    threads.shutdown();
    try {
      return new Outcome<>(r.join(), s.join());
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  static Outcome<PsiResult> intersect(PsiJob job, List<String> receiverIds, List<String> senderIds) {
    return run(Duration.ofSeconds(20),
        l -> PsiParty.intersect(job, PsiRole.RECEIVER, IdSource.of(receiverIds), l),
        l -> PsiParty.intersect(job, PsiRole.SENDER, IdSource.of(senderIds), l));
  }

  static int[] rows(PsiResult r) {
    return ((PsiResult.Intersection) r).rows();
  }

  private TwoParties() {}
}
