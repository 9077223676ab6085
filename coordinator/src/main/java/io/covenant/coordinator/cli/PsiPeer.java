package io.covenant.coordinator.cli;

import io.covenant.core.error.CovenantException;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.psi.IdRule;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * OpenMined's PSI ({@code openmined.psi}: ECDH over P-256, C++ under Python, one thread) beside
 * {@code ./covenant bench psi} (issue 19), on the very ids our parties intersect, written to files one per line in
 * their normalised form. It runs at the ECDH-PSI size (the like-for-like protocol) and, when different, at the KKRT16
 * size, so each of our protocols has a figure to be divided by. {@code .ci/bench-peers/psi_openmined.py} says how.
 */
final class PsiPeer {
  private PsiPeer() {}

  static final String PEER = "OpenMined PSI";

  /** The receiver's ids and the sender's, exactly as {@link PsiBenchmark#secure} generates them, one per line. */
  static void writeIds(Path receiver, Path sender, int n) {
    writeLines(receiver, n, PsiBenchmark::id);
    writeLines(sender, n, i -> PsiBenchmark.id(i + n / 2));
  }

  private static void writeLines(Path file, int n, IntFunction<String> id) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        w.write(IdRule.CASE_SENSITIVE.normalise(id.apply(i), i));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new CovenantException("cannot write the ids for the PSI peer to " + file + ": " + e.getMessage(), e);
    }
  }

  /** One run of the peer at one size. */
  record PeerRow(int size, double seconds, long bytes) {}

  static String compare(PeerRun.Environment env, PsiBenchmark.Results ours, Path dir, PrintStream progress) {
    List<Integer> sizes = new ArrayList<>(List.of(ours.ecdh().receiverSize()));
    if (ours.kkrt().receiverSize() != ours.ecdh().receiverSize()) sizes.add(ours.kkrt().receiverSize());
    List<PeerRow> rows = new ArrayList<>();
    String version = "";
    for (int n : sizes) {
      Path receiver = dir.resolve("psi-receiver-" + n + ".txt");
      Path sender = dir.resolve("psi-sender-" + n + ".txt");
      writeIds(receiver, sender, n);
      progress.printf(Locale.ROOT, "psi bench: %s on the same %,d x %,d ids (one thread) ...%n", PEER, n, n);
      PeerRun.Figures f = PeerRun.run(env, PEER, "psi_openmined.py",
          List.of("--receiver", receiver.toString(), "--sender", sender.toString(), "--expect", Integer.toString(n - n / 2)), Duration.ofMinutes(60));
      version = f.text("openmined_psi_version");
      rows.add(new PeerRow(n, f.number("psi.ms") / 1000, (long) f.number("psi.bytes")));
    }
    return table(ours, rows, version);
  }

  static String table(PsiBenchmark.Results ours, List<PeerRow> peer, String version) {
    TextTable t = TextTable.withHeaders("same ids (half common)", "sizes", "threads per party", "time", "bytes sent (both)", "bytes per id", "ids per second",
        "Covenant time / " + PEER);
    for (PsiBenchmark.Row r : List.of(ours.ecdh(), ours.kkrt())) {
      PeerRow p = peer.stream().filter(x -> x.size() == r.receiverSize()).findFirst().orElseThrow();
      row(t, "Covenant " + r.what(), r.receiverSize(), "2", r.seconds(), r.bytes(), PeerRun.ratio(r.seconds(), p.seconds()));
      if (r == ours.ecdh() || peer.size() > 1) row(t, PEER + " " + version + " (ECDH, P-256, RAW setup)", p.size(), "1 (one process)", p.seconds(), p.bytes(), "");
    }
    return "Side by side with " + PEER + " (Covenant / " + PEER + ": above 1 means " + PEER + " is faster)\n" + t.render();
  }

  private static void row(TextTable t, String what, int n, String threads, double seconds, long bytes, String ratio) {
    long ids = 2L * n;
    t.row(what, String.format(Locale.ROOT, "%,d x %,d", n, n), threads, String.format(Locale.ROOT, "%.2f s", seconds),
        String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6), String.format(Locale.ROOT, "%.1f", (double) bytes / ids),
        String.format(Locale.ROOT, "%,.0f", ids / seconds), ratio);
  }
}
