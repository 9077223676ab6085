package io.covenant.coordinator.cli;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.job.Computation;
import java.nio.file.Path;
import java.util.List;
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

  /**
   * The same intersections (KKRT16 with {@code n} ids a side, ECDH-PSI with {@code ecdhN}) as jobs between two
   * organisation node processes on loopback, as a user runs them
   * ({@code ./covenant demo}'s deployment: coordinator, worker and four nodes, six JVMs): insurer-x's node (the consumer,
   * PSI receiver) and hospital-a's node (the sender) each publish {@code n} ids sharing half, each with a policy for
   * the intersection; insurer-x submits an {@code intersect} job from its node's desk. Timed from submit to the opened
   * result at the insurer's node, so it includes the ledger checks, each node reading and decrypting its own id
   * column, the PSI over their mutual-TLS link, sealing the matched ids to the insurer, the coordinator's commit and
   * the insurer opening and checking the result; publishing is timed apart. The matched count is checked.
   */
  static List<Row> acrossNodes(int n, int ecdhN, Path work, PrintStream progress) {
    progress.printf(Locale.ROOT, "node processes: starting the demo's deployment in %s (coordinator, worker, four nodes) ...%n", work);
    try (ProcessDemo.Running running = new ProcessDemo(new PrintStream(java.io.OutputStream.nullOutputStream())).startProcesses(work)) {
      return List.of(intersectJob(running, Computation.PrivateSetIntersection.KKRT16, n, work, progress),
          intersectJob(running, Computation.PrivateSetIntersection.ECDH_P256, ecdhN, work, progress));
    }
  }

  private static Row intersectJob(ProcessDemo.Running running, String protocol, int n, Path work, PrintStream progress) {
    OrgId hospital = HospitalInsurerDemo.HOSPITALS.getFirst().org();
    OrgId insurer = HospitalInsurerDemo.INSURER;
    String suffix = protocol.replace('-', '_');
    long publishStart = System.nanoTime();
    String hospitalIds = publishIds(running.nodeDirs().get(hospital), work.resolve("hospital-" + suffix + ".csv"), "patients_" + suffix, n, n / 2);
    String insurerIds = publishIds(running.nodeDirs().get(insurer), work.resolve("insurer-" + suffix + ".csv"), "policyholders_" + suffix, n, 0);
    progress.printf(Locale.ROOT, "published %,d ids at each node in %.1f s (encrypted, sharded, uploaded; not timed below)%n", n, (System.nanoTime() - publishStart) / 1e9);
    Json.JObject psi = new Computation.PrivateSetIntersection("patient_id", Computation.PrivateSetIntersection.Learners.CONSUMER, protocol).toJson();
    long start = System.nanoTime();
    Json.JObject job = (Json.JObject) NodeDesk.ask(running.nodeDirs().get(insurer), Json.obj("op", "submit", "datasets", List.of(insurerIds, hospitalIds),
        "engine", "mpc", "purpose", "research", "computation", psi));
    if (!"COMMITTED".equals(job.string("state"))) throw new CovenantException("the intersection job ended " + job.string("state") + ": " + job.encode());
    Json.JObject result = (Json.JObject) NodeDesk.ask(running.nodeDirs().get(insurer), Json.obj("op", "result", "job", job.string("job"), "rowsOnly", true));
    double seconds = (System.nanoTime() - start) / 1e9;
    int found = (int) result.number("rows");
    if (found != n - n / 2) throw new CovenantException("the intersection job found " + found + " common ids where " + (n - n / 2) + " were expected: the benchmark is invalid");
    String what = (Computation.PrivateSetIntersection.KKRT16.equals(protocol) ? "KKRT16" : "ECDH-PSI P-256") + " as an intersect job, two node processes";
    progress.printf(Locale.ROOT, "%s, %,d x %,d: %.2f s%n", what, n, n, seconds);
    return new Row(what, n, n, seconds, 0, found);
  }

  /** Writes {@code n} ids (from {@code offset}) as a CSV, publishes it from the node at {@code nodeDir} with an intersection policy; its version. */
  private static String publishIds(Path nodeDir, Path csv, String name, int n, int offset) {
    try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(csv)) {
      w.write("patient_id\n");
      for (int i = 0; i < n; i++) {
        w.write(id(i + offset));
        w.write('\n');
      }
    } catch (java.io.IOException e) {
      throw new CovenantException("cannot write " + csv + ": " + e.getMessage(), e);
    }
    Json.JObject published = (Json.JObject) NodeDesk.ask(nodeDir, Json.obj("op", "publish-file", "name", name, "file", csv.toAbsolutePath().toString()));
    String dataset = published.string("dataset");
    String owner = dataset.substring(0, dataset.indexOf('/'));
    NodeDesk.ask(nodeDir, Json.obj("op", "publish-policy", "policy", Json.obj("covenantPolicy", 1, "id", name.replace('_', '-') + "-psi",
        "dataset", owner + "/" + name, "assignees", List.of(HospitalInsurerDemo.INSURER.value()), "purposes", List.of("research"),
        "engines", List.of("mpc"), "minCohort", 10, "columns", Json.obj("patient_id", "join"), "defaultColumnRule", "never",
        "matching", Json.obj("revealMatches", true)).encode()));
    return dataset;
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
