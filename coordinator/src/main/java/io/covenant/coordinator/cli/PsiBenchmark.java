package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.psi.Delivery;
import io.covenant.mpc.psi.IdRule;
import io.covenant.mpc.psi.IdSource;
import io.covenant.mpc.psi.PsiJob;
import io.covenant.mpc.psi.PsiParty;
import io.covenant.mpc.psi.PsiProtocol;
import io.covenant.mpc.psi.PsiResult;
import io.covenant.mpc.psi.PsiRole;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLink;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * PSI between two in-process parties (each on its own threads, joined by an in-process {@link PeerLink} that copies every
 * frame, as a network would), ECDH-PSI and KKRT16 side by side, against a plaintext hash join of the same ids in the
 * same JVM. Half of each set is in the intersection; the intersection size is checked.
 */
final class PsiBenchmark {
  private PsiBenchmark() {}

  record Row(String what, int receiverSize, int senderSize, double seconds, long bytes, int intersection) {}

  static String id(int i) {
    return "patient-" + Integer.toString(i * 7919 + 12345, 36);
  }

  static Row plaintext(int n) {
    long start = System.nanoTime();
    Set<String> sender = new HashSet<>(n * 2);
    for (int i = n / 2; i < n / 2 + n; i++) sender.add(IdRule.CASE_SENSITIVE.normalise(id(i), i));
    int found = 0;
    for (int i = 0; i < n; i++) if (sender.contains(IdRule.CASE_SENSITIVE.normalise(id(i), i))) found++;
    return new Row("plaintext hash join (baseline, normalised ids)", n, n, (System.nanoTime() - start) / 1e9, 0, found);
  }

  static Row secure(PsiProtocol protocol, int n, int threads) {
    PsiJob job = new PsiJob("bench-psi", protocol, IdRule.CASE_SENSITIVE, Delivery.BOTH, threads);
    InProcessLinks.Pair pair = InProcessLinks.pair(OrgId.of("insurer-b"), OrgId.of("hospital-a"), Duration.ofMinutes(30));
    ExecutorService parties = Executors.newFixedThreadPool(2);
    long start = System.nanoTime();
    try {
      Future<PsiResult> r = parties.submit(() -> PsiParty.intersect(job, PsiRole.RECEIVER, IdSource.generated(n, PsiBenchmark::id), pair.first()));
      Future<PsiResult> s = parties.submit(() -> PsiParty.intersect(job, PsiRole.SENDER, IdSource.generated(n, i -> id(i + n / 2)), pair.second()));
      PsiResult rr = r.get();
      PsiResult sr = s.get();
      double seconds = (System.nanoTime() - start) / 1e9;
      int found = ((PsiResult.Intersection) rr).size();
      if (found != ((PsiResult.Intersection) sr).size() || found != n - n / 2) {
        throw new CovenantException(protocol + " found " + found + " common ids where " + (n - n / 2) + " were expected: the benchmark is invalid");
      }
      return new Row(protocol == PsiProtocol.KKRT16 ? "KKRT16 OT-extension PSI" : "ECDH-PSI P-256 (RFC 9380)", n, n, seconds,
          rr.stats().bytesSent() + sr.stats().bytesSent(), found);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("the PSI benchmark was interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CovenantException("the PSI benchmark failed: " + e.getCause().getMessage(), e.getCause());
    } finally {
      parties.shutdownNow();
      pair.first().close();
      pair.second().close();
    }
  }

  /** Our three measured rows, and the plaintext join at the ECDH size that ECDH-PSI is compared with. */
  record Results(Row base, Row kkrt, Row ecdh, Row baseEcdh) {}

  static Results measure(int kkrtSize, int ecdhSize, int threads, PrintStream progress) {
    int cores = Runtime.getRuntime().availableProcessors();
    progress.printf(Locale.ROOT, "in-process parties: two PSI parties on threads of one JVM (%d threads each) over in-process links, %d cores%n", threads, cores);
    Row warm = secure(PsiProtocol.KKRT16, Math.min(kkrtSize, 100_000), threads); // JIT warm-up, not reported
    secure(PsiProtocol.ECDH_P256, Math.min(ecdhSize, 500), threads);
    progress.println("warmed up (" + warm.intersection() + " common ids in a small run)");
    Row base = plaintext(kkrtSize);
    progress.printf(Locale.ROOT, "plaintext join of %,d x %,d: %.2f s%n", kkrtSize, kkrtSize, base.seconds());
    Row kkrt = secure(PsiProtocol.KKRT16, kkrtSize, threads);
    progress.printf(Locale.ROOT, "KKRT16 %,d x %,d: %.2f s%n", kkrtSize, kkrtSize, kkrt.seconds());
    Row ecdh = secure(PsiProtocol.ECDH_P256, ecdhSize, threads);
    progress.printf(Locale.ROOT, "ECDH-PSI %,d x %,d: %.2f s%n", ecdhSize, ecdhSize, ecdh.seconds());
    Row baseEcdh = ecdhSize == kkrtSize ? base : plaintext(ecdhSize);
    return new Results(base, kkrt, ecdh, baseEcdh);
  }

  static TextTable table(Results results) {
    int cores = Runtime.getRuntime().availableProcessors();
    Row base = results.base();
    Row kkrt = results.kkrt();
    Row ecdh = results.ecdh();
    Row baseEcdh = results.baseEcdh();
    TextTable t = TextTable.withHeaders("protocol (in-process parties)", "sizes", "time", "bytes sent (both)", "bytes per id",
        "ids per second per core", "time vs plaintext join");
    for (Row r : new Row[] {base, kkrt, ecdh}) {
      Row against = r == ecdh ? baseEcdh : base;
      long ids = (long) r.receiverSize() + r.senderSize();
      t.row(r.what(), String.format(Locale.ROOT, "%,d x %,d", r.receiverSize(), r.senderSize()), String.format(Locale.ROOT, "%.2f s", r.seconds()),
          r.bytes() == 0 ? "-" : String.format(Locale.ROOT, "%,.1f MB", r.bytes() / 1e6),
          r.bytes() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", (double) r.bytes() / ids),
          String.format(Locale.ROOT, "%,.0f", ids / r.seconds() / cores),
          r == base ? "1" : String.format(Locale.ROOT, "%,.0fx", r.seconds() / against.seconds()));
    }
    return t;
  }
}
