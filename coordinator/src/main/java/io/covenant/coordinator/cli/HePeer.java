package io.covenant.coordinator.cli;

import io.covenant.core.text.TextTable;
import io.covenant.mpc.he.SigmoidPolynomial;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TenSEAL (Microsoft SEAL, native, through its Python bindings) beside {@code ./covenant bench he} (issue 19): the same
 * scoring rows and model, the same owners' vectors, the same parameter sets (CKKS N = 8192 with q = 52+38+38+38+52 for
 * scoring; BFV N = 4096, q = 36+36+37, a 30-bit t and CKKS N = 8192, q = 60+60 for the aggregate), the same steps
 * timed ({@code .ci/bench-peers/he_tenseal.py} says how each is done). The data goes to the peer as {@code .npy} files.
 */
final class HePeer {
  private HePeer() {}

  static final String PEER = "TenSEAL";

  /** Writes the bench's data into {@code dir}, runs TenSEAL on it and returns the side-by-side table. */
  static String compare(PeerRun.Environment env, int rows, int features, int owners, int length, Map<String, Double> ours, Path dir, PrintStream progress) {
    progress.println("he bench: writing the same data for " + PEER + " to " + dir + " ...");
    HeBenchmark.ScoringData data = HeBenchmark.scoringData(rows, features);
    double[] model = new double[features + 1];
    System.arraycopy(data.weights(), 0, model, 0, features);
    model[features] = data.bias();
    NpyFile.write(dir.resolve("scoring-rows.npy"), data.rows());
    NpyFile.write(dir.resolve("scoring-model.npy"), model);
    NpyFile.write(dir.resolve("aggregate-bfv.npy"), HeBenchmark.bfvInputs(owners, length));
    NpyFile.write(dir.resolve("aggregate-ckks.npy"), HeBenchmark.ckksInputs(owners, length));
    SigmoidPolynomial g = SigmoidPolynomial.KIM_2018_DEGREE_3;
    progress.println("he bench: " + PEER + " on the same data ...");
    PeerRun.Figures peer = PeerRun.run(env, PEER, "he_tenseal.py", List.of("--rows", dir.resolve("scoring-rows.npy").toString(), "--model",
        dir.resolve("scoring-model.npy").toString(), "--sigmoid", num(g.c0()), num(g.c1()), num(g.c3()), num(g.radius()), "--bfv-values",
        dir.resolve("aggregate-bfv.npy").toString(), "--ckks-values", dir.resolve("aggregate-ckks.npy").toString()), Duration.ofMinutes(30));
    return table(rows, features, owners, length, ours, peer);
  }

  static String table(int rows, int features, int owners, int length, Map<String, Double> ours, PeerRun.Figures peer) {
    TextTable t = TextTable.withHeaders("same data, same parameters", "Covenant (node-seal sidecar)", PEER + " " + peer.text("tenseal_version") + " (native SEAL)",
        "Covenant / " + PEER);
    String s = "scoring " + rows + " x " + features + ": ";
    time(t, s + "insurer: keys + encrypted model", ours, peer, "scoring.insurer_ms");
    time(t, s + "owner: evaluate on its rows", ours, peer, "scoring.owner_ms");
    time(t, s + "insurer: decrypt", ours, peer, "scoring.decrypt_ms");
    total(t, s + "whole job", ours, peer, "scoring.insurer_ms", "scoring.owner_ms", "scoring.decrypt_ms");
    t.row(s + "blocks (rows per ciphertext)", String.format(Locale.ROOT, "%.0f", ours.get("scoring.blocks")),
        String.format(Locale.ROOT, "%.0f", peer.number("scoring.blocks")), "");
    bytes(t, s + "bytes sent, both ways", ours.get("scoring.model_bytes") + ours.get("scoring.scores_bytes"),
        peer.number("scoring.model_bytes") + peer.number("scoring.scores_bytes"));
    error(t, s + "max error vs the plaintext polynomial", ours, peer, "scoring.max_error");
    for (String scheme : List.of("bfv", "ckks")) {
      String k = "aggregate." + scheme;
      String a = owners + " owners x " + length + ", " + scheme.toUpperCase(Locale.ROOT) + ": ";
      time(t, a + "consumer's keys", ours, peer, k + ".keys_ms");
      time(t, a + "owners load the key and encrypt", ours, peer, k + ".encrypt_ms");
      time(t, a + "aggregator loads and adds", ours, peer, k + ".add_ms");
      time(t, a + "consumer decrypts", ours, peer, k + ".decrypt_ms");
      total(t, a + "whole, owners to decryption", ours, peer, k + ".encrypt_ms", k + ".add_ms", k + ".decrypt_ms");
      bytes(t, a + "bytes per owner", ours.get(k + ".bytes_per_owner"), peer.number(k + ".bytes_per_owner"));
      error(t, a + "max error", ours, peer, k + ".max_error");
    }
    return "Side by side with " + PEER + " (Covenant / " + PEER + ": above 1 means " + PEER + " is faster or smaller)\n" + t.render();
  }

  private static void time(TextTable t, String what, Map<String, Double> ours, PeerRun.Figures peer, String key) {
    t.row(what, ms(ours.get(key)), ms(peer.number(key)), PeerRun.ratio(ours.get(key), peer.number(key)));
  }

  private static void total(TextTable t, String what, Map<String, Double> ours, PeerRun.Figures peer, String... keys) {
    double o = 0;
    double p = 0;
    for (String k : keys) {
      o += ours.get(k);
      p += peer.number(k);
    }
    t.row(what, ms(o), ms(p), PeerRun.ratio(o, p));
  }

  private static void bytes(TextTable t, String what, double ours, double theirs) {
    t.row(what, String.format(Locale.ROOT, "%.2f MiB", ours / 1048576), String.format(Locale.ROOT, "%.2f MiB", theirs / 1048576), PeerRun.ratio(ours, theirs));
  }

  private static void error(TextTable t, String what, Map<String, Double> ours, PeerRun.Figures peer, String key) {
    t.row(what, String.format(Locale.ROOT, "%.2e", ours.get(key)), String.format(Locale.ROOT, "%.2e", peer.number(key)), "");
  }

  private static String ms(double ms) {
    return ms < 1000 ? String.format(Locale.ROOT, "%.1f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  private static String num(double v) {
    return Double.toString(v);
  }
}
