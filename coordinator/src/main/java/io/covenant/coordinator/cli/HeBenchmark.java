package io.covenant.coordinator.cli;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.he.AggregationConsumer;
import io.covenant.mpc.he.AggregationContributor;
import io.covenant.mpc.he.AggregationKeys;
import io.covenant.mpc.he.EncryptedAggregator;
import io.covenant.mpc.he.EncryptedContribution;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.EncryptedTotal;
import io.covenant.mpc.he.HeContext;
import io.covenant.mpc.he.HeHandle;
import io.covenant.mpc.he.HeParameters;
import io.covenant.mpc.he.HeSidecarInstall;
import io.covenant.mpc.he.KeyPair;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringModel;
import io.covenant.mpc.he.ScoringOwner;
import io.covenant.mpc.he.ScoringPolicy;
import io.covenant.mpc.he.SealSidecar;
import io.covenant.mpc.he.SidecarInstallation;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The homomorphic-encryption engine against plaintext in the same run ({@code ./covenant bench he}): private scoring of
 * a data owner's rows with an insurer's encrypted logistic model, an encrypted aggregate over several owners, and
 * SEAL's per-operation times through the sidecar against the native-SEAL anchor of issue 15 (SEAL 4.4 built from
 * source on this machine kind: CKKS N = 8192 multiply + relinearize + rescale about 6 ms, a plain multiply about 0.7 ms).
 *
 * <p>In-process parties: the consumer and each owner call their own program in this JVM, each with its own sidecar
 * process (the aggregation's owners share one); messages are passed as the SEAL bytes they would be on the wire.
 */
final class HeBenchmark {
  private HeBenchmark() {}

  /** Native SEAL 4.4 on this machine kind, per issue 15, in milliseconds. */
  static final double ANCHOR_MUL_RELIN_RESCALE_MS = 6.0;

  static final double ANCHOR_MULTIPLY_MS = 0.7;

  /** Runs the benchmark and returns its tables; our step times, errors and sizes also go into {@code ours}, keyed as {@link HePeer} reads them. */
  static String run(int rows, int features, int owners, int length, int repeats, PrintStream progress, Map<String, Double> ours) {
    if (rows < 1 || features < 1 || owners < 1 || length < 1 || repeats < 1) throw new CovenantException("--rows, --features, --owners, --length and --repeats must be at least 1");
    progress.println("he bench: installing or finding the SEAL sidecar ...");
    SidecarInstallation installation = HeSidecarInstall.install();
    StringBuilder out = new StringBuilder();
    try (SealSidecar consumerSide = SealSidecar.start(installation, SealSidecar.Options.named("bench-consumer"));
        SealSidecar ownerSide = SealSidecar.start(installation, SealSidecar.Options.named("bench-owner"));
        SealSidecar aggregatorSide = SealSidecar.start(installation, SealSidecar.Options.named("bench-aggregator"))) {
      out.append("Homomorphic encryption: ").append(consumerSide.implementation()).append("; in-process parties, one sidecar process each\n\n");
      out.append(operations(consumerSide, repeats, progress)).append('\n');
      out.append(scoring(consumerSide, ownerSide, rows, features, progress, ours)).append('\n');
      out.append(aggregation(consumerSide, ownerSide, aggregatorSide, owners, length, progress, ours));
    }
    return out.toString();
  }

  // ---- per operation ----

  private static String operations(SealSidecar he, int repeats, PrintStream progress) {
    progress.println("he bench: per-operation times, CKKS N=8192 (" + repeats + " repeats each) ...");
    long t0 = System.nanoTime();
    HeContext ctx = he.context(HeParameters.CKKS_ANCHOR);
    double contextMs = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    KeyPair keys = he.generateKeys(ctx);
    double keysMs = (System.nanoTime() - t0) / 1e6;
    HeHandle.RelinKeys rk = he.relinKeys(keys.secretKey());
    HeHandle.GaloisKeys gk = he.galoisKeys(keys.secretKey(), new int[] {1});
    double[] v = new SplittableRandom(1).doubles(ctx.slots(), -1, 1).toArray();
    HeHandle.Ciphertext a = he.encryptReals(keys.publicKey(), v);
    HeHandle.Ciphertext b = he.encryptReals(keys.publicKey(), v);
    TextTable t = TextTable.withHeaders("operation (CKKS N=8192, q=60+40+40+60, through the sidecar)", "ms", "native SEAL 4.4 anchor", "ratio");
    t.row("build the SEAL context (once per parameter set and sidecar)", ms(contextMs), "", "");
    t.row("key pair (secret + public key, saved)", ms(keysMs), "", "");
    t.row("sidecar round trip (ping, no SEAL work)", ms(time(repeats, () -> he.healthCheck(Duration.ofSeconds(30)))), "", "");
    t.row("encrypt 4096 reals (encode + encrypt)", ms(time(repeats, () -> he.release(he.encryptReals(keys.publicKey(), v)))), "", "");
    double mul = time(repeats, () -> he.release(he.multiply(a, b)));
    t.row("multiply (ciphertext x ciphertext)", ms(mul), ms(ANCHOR_MULTIPLY_MS), ratio(mul, ANCHOR_MULTIPLY_MS));
    double mrr = time(repeats, () -> {
      HeHandle.Ciphertext p = he.multiply(a, b);
      HeHandle.Ciphertext r = he.relinearize(p, rk);
      HeHandle.Ciphertext s = he.rescale(r);
      he.release(p, r, s);
    });
    t.row("multiply + relinearize + rescale", ms(mrr), ms(ANCHOR_MUL_RELIN_RESCALE_MS), ratio(mrr, ANCHOR_MUL_RELIN_RESCALE_MS));
    t.row("multiply by plaintext (encode + multiply)", ms(time(repeats, () -> he.release(he.multiplyPlain(a, v, ctx.parameters().scale())))), "", "");
    t.row("add", ms(time(repeats, () -> he.release(he.add(a, b)))), "", "");
    t.row("rotate by 1 slot (Galois key switch)", ms(time(repeats, () -> he.release(he.rotate(a, 1, gk)))), "", "");
    t.row("decrypt + decode", ms(time(repeats, () -> he.decryptReals(keys.secretKey(), a))), "", "");
    he.release(a, b, rk, gk, keys.secretKey(), keys.publicKey());
    he.release(ctx);
    return t.render();
  }

  // ---- private scoring ----

  /** The scoring job's data: the owner's rows in [-1, 1) and the insurer's weights in [-0.4, 0.4) and bias, fixed seed. */
  record ScoringData(double[][] rows, double[] weights, double bias) {}

  static ScoringData scoringData(int rows, int features) {
    SplittableRandom r = new SplittableRandom(2);
    double[][] x = new double[rows][features];
    for (double[] row : x) for (int j = 0; j < features; j++) row[j] = r.nextDouble(-1, 1);
    double[] w = new double[features];
    for (int j = 0; j < features; j++) w[j] = r.nextDouble(-0.4, 0.4);
    return new ScoringData(x, w, 0.2);
  }

  /** Each owner's reals for the CKKS aggregate, in [-1000, 1000), fixed seed. */
  static double[][] ckksInputs(int owners, int length) {
    SplittableRandom r = new SplittableRandom(3);
    double[][] v = new double[owners][];
    for (int i = 0; i < owners; i++) v[i] = r.doubles(length, -1000, 1000).toArray();
    return v;
  }

  /** Each owner's integers for the BFV aggregate, in [-10,000, 10,000), fixed seed. */
  static long[][] bfvInputs(int owners, int length) {
    SplittableRandom r = new SplittableRandom(3);
    long[][] v = new long[owners][];
    for (int i = 0; i < owners; i++) v[i] = r.longs(length, -10_000, 10_000).toArray();
    return v;
  }

  private static String scoring(SealSidecar consumerSide, SealSidecar ownerSide, int rows, int features, PrintStream progress, Map<String, Double> ours) {
    progress.println("he bench: private scoring of " + rows + " rows x " + features + " features with a logistic model ...");
    ScoringData data = scoringData(rows, features);
    double[][] x = data.rows();
    ScoringModel model = ScoringModel.logistic(data.weights(), data.bias());

    // Baseline: the same polynomial scores in plaintext, in this JVM (best of three, after a warm-up).
    double[] plain = new double[rows];
    double plainMs = Double.MAX_VALUE;
    for (int k = 0; k < 4; k++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < rows; i++) plain[i] = model.score(x[i]);
      if (k > 0) plainMs = Math.min(plainMs, (System.nanoTime() - t0) / 1e6);
    }

    long t0 = System.nanoTime();
    ScoringConsumer consumer = new ScoringConsumer(consumerSide, model);
    EncryptedModel encrypted = consumer.encryptModel();
    double encryptMs = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    EncryptedScores scores = new ScoringOwner(ownerSide, ScoringPolicy.noNoise(rows)).score(encrypted, x);
    double scoreMs = (System.nanoTime() - t0) / 1e6;
    t0 = System.nanoTime();
    ScoringConsumer.Scores decrypted = consumer.decrypt(scores, encrypted, scores.digest());
    double decryptMs = (System.nanoTime() - t0) / 1e6;
    consumer.close();
    double[] got = decrypted.values();
    double maxError = 0;
    for (int i = 0; i < rows; i++) maxError = Math.max(maxError, Math.abs(got[i] - plain[i]));
    double totalMs = encryptMs + scoreMs + decryptMs;
    ours.put("scoring.insurer_ms", encryptMs);
    ours.put("scoring.owner_ms", scoreMs);
    ours.put("scoring.decrypt_ms", decryptMs);
    ours.put("scoring.max_error", maxError);
    ours.put("scoring.model_bytes", (double) encrypted.bytes());
    ours.put("scoring.scores_bytes", (double) scores.bytes());
    ours.put("scoring.blocks", (double) scores.blocks().size());

    TextTable t = TextTable.withHeaders("private scoring: " + rows + " rows x " + features + " features, logistic (cubic sigmoid)", "time", "ratio to plaintext", "bytes");
    t.row("plaintext baseline (same polynomial, Java)", secs(plainMs), "1", "");
    t.row("consumer: keys + encrypt model (" + (features + 1) + " ciphertexts)", secs(encryptMs), ratio(encryptMs, plainMs), mib(encrypted.bytes()));
    t.row("owner: evaluate on its rows (" + scores.blocks().size() + " blocks of " + scores.rowsPerBlock() + ")", secs(scoreMs), ratio(scoreMs, plainMs), mib(scores.bytes()));
    t.row("consumer: decrypt, check probes", secs(decryptMs), ratio(decryptMs, plainMs), "");
    t.row("whole job", secs(totalMs), ratio(totalMs, plainMs), mib(encrypted.bytes() + scores.bytes()));
    t.row("max error vs plaintext over all rows", String.format(Locale.ROOT, "%.2e", maxError), "", "");
    t.row("precision the consumer reported", String.format(Locale.ROOT, "%.2e (bound %.0e)", decrypted.precision().measuredMaxError(), decrypted.precision().bound()), "", "");
    return t.render();
  }

  // ---- aggregation ----

  private static String aggregation(SealSidecar consumerSide, SealSidecar ownerSide, SealSidecar aggregatorSide, int owners, int length, PrintStream progress,
      Map<String, Double> ours) {
    TextTable t = TextTable.withHeaders("encrypted aggregate: " + owners + " owners x " + length + " values", "time", "ratio to plaintext", "bytes per owner");
    for (HeParameters p : List.of(HeParameters.BFV_AGGREGATE, HeParameters.CKKS_AGGREGATE)) {
      progress.println("he bench: " + owners + "-owner aggregate of " + length + " values, " + p.scheme() + " ...");
      List<OrgId> orgs = new ArrayList<>();
      for (int i = 0; i < owners; i++) orgs.add(OrgId.of("owner-" + (i + 1)));
      boolean ckks = p.scheme() == io.covenant.mpc.he.HeScheme.CKKS;
      List<double[]> reals = ckks ? List.of(ckksInputs(owners, length)) : List.of();
      List<long[]> ints = ckks ? List.of() : List.of(bfvInputs(owners, length));
      double plainMs = Double.MAX_VALUE;
      double[] plainReal = new double[length];
      long[] plainInt = new long[length];
      for (int k = 0; k < 4; k++) {
        long t0 = System.nanoTime();
        Arrays.fill(plainReal, 0);
        Arrays.fill(plainInt, 0);
        for (int i = 0; i < owners; i++) {
          for (int j = 0; j < length; j++) {
            if (ckks) plainReal[j] += reals.get(i)[j];
            else plainInt[j] += ints.get(i)[j];
          }
        }
        if (k > 0) plainMs = Math.min(plainMs, (System.nanoTime() - t0) / 1e6);
      }
      long t0 = System.nanoTime();
      AggregationConsumer consumer = new AggregationConsumer(consumerSide, p, length, owners);
      AggregationKeys keys = consumer.keys();
      double keysMs = (System.nanoTime() - t0) / 1e6;
      try (consumer) {
        t0 = System.nanoTime();
        List<EncryptedContribution> in = new ArrayList<>();
        Map<OrgId, Digest> ledger = new LinkedHashMap<>();
        for (int i = 0; i < owners; i++) {
          AggregationContributor c = new AggregationContributor(ownerSide, orgs.get(i));
          EncryptedContribution e = ckks ? c.encrypt(keys, reals.get(i)) : c.encrypt(keys, ints.get(i));
          in.add(e);
          ledger.put(orgs.get(i), e.digest());
        }
        double encryptMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        EncryptedTotal total = new EncryptedAggregator(aggregatorSide).aggregate(keys, in, ledger);
        double addMs = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        AggregationConsumer.Total result = consumer.decrypt(total, ledger);
        double decryptMs = (System.nanoTime() - t0) / 1e6;
        double maxError = 0;
        for (int j = 0; j < length; j++) {
          maxError = Math.max(maxError, ckks ? Math.abs(result.reals()[j] - plainReal[j]) : Math.abs(result.integers()[j] - plainInt[j]));
        }
        long perOwner = in.get(0).chunks().stream().mapToLong(io.covenant.mpc.he.SealBytes::size).sum();
        double totalMs = encryptMs + addMs + decryptMs;
        String key = "aggregate." + (ckks ? "ckks" : "bfv");
        ours.put(key + ".keys_ms", keysMs);
        ours.put(key + ".encrypt_ms", encryptMs);
        ours.put(key + ".add_ms", addMs);
        ours.put(key + ".decrypt_ms", decryptMs);
        ours.put(key + ".max_error", maxError);
        ours.put(key + ".bytes_per_owner", (double) perOwner);
        String s = p.scheme() + " " + "N=" + p.polyModulusDegree();
        t.row(s + ": plaintext baseline (Java sum)", ms(plainMs) + " ms", "1", "");
        t.row(s + ": consumer makes its keys", secs(keysMs), "", mib(keys.publicKey().size()) + " (public key)");
        t.row(s + ": " + owners + " owners load the key and encrypt", secs(encryptMs), ratio(encryptMs, plainMs), mib(perOwner));
        t.row(s + ": aggregator loads the inputs and adds (no key)", secs(addMs), ratio(addMs, plainMs), "");
        t.row(s + ": consumer decrypts", secs(decryptMs), ratio(decryptMs, plainMs), "");
        t.row(s + ": whole aggregate", secs(totalMs), ratio(totalMs, plainMs), "");
        t.row(s + ": max error vs plaintext", ckks ? String.format(Locale.ROOT, "%.2e (bound %.1e)", maxError, result.precision().bound()) : (maxError == 0 ? "0 (exact)" : "WRONG: " + maxError), "", "");
      }
    }
    return t.render();
  }

  // ---- helpers ----

  private static double time(int repeats, Runnable op) {
    op.run(); // warm-up
    long t0 = System.nanoTime();
    for (int i = 0; i < repeats; i++) op.run();
    return (System.nanoTime() - t0) / 1e6 / repeats;
  }

  private static String ms(double ms) {
    return String.format(Locale.ROOT, ms < 10 ? "%.2f" : "%.1f", ms);
  }

  private static String secs(double ms) {
    return ms < 1000 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }

  private static String ratio(double x, double base) {
    double q = x / base;
    return q >= 100 ? String.format(Locale.ROOT, "%,.0f", q) : String.format(Locale.ROOT, "%.1f", q);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
  }
}
