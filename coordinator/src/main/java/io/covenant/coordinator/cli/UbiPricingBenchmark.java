package io.covenant.coordinator.cli;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.coordinator.vehicles.UbiFeatures;
import io.covenant.coordinator.vehicles.UbiHeEngine;
import io.covenant.coordinator.vehicles.UbiPricingModel;
import io.covenant.coordinator.vehicles.UbiRoute;
import io.covenant.coordinator.vehicles.UbiScoring;
import io.covenant.coordinator.vehicles.VehicleMaker;
import io.covenant.coordinator.vehicles.VehiclesDemo;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.he.EncryptedModel;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.HeParameters;
import io.covenant.mpc.he.ScoringConsumer;
import io.covenant.mpc.he.ScoringOwner;
import io.covenant.mpc.he.ScoringPolicy;
import io.covenant.node.hejob.NodeSidecar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HE route's cost against plaintext scoring, in the same run on the same fleet: whole licensed jobs (licence
 * policy published, job authorised and run, scores opened by the insurer) on the TEE route (the enclave computes the
 * scores in plaintext) and on the HE route, alternating; and the HE route's steps against the same model applied in
 * plaintext to the same features (the maker's feature sums are common to both). Times per 1,000 scored vehicles.
 */
final class UbiPricingBenchmark {
  private UbiPricingBenchmark() {}

  static String run(Path workDir, int vehicles, int days, int rounds, PrintStream progress) {
    progress.println("setting up the scenario (" + vehicles + " vehicles x " + days + " days: signing, ingest, consents, three TEE jobs) ...");
    try (LocalDeployment d = LocalDeployment.open(workDir.resolve("ubi-pricing-" + System.nanoTime()))) {
      new VehiclesDemo(new PrintStream(java.io.OutputStream.nullOutputStream())).run(d, vehicles, days, 7, UbiRoute.TEE);
      VehicleMaker maker = new VehicleMaker(d, VehiclesDemo.MAKER);
      DatasetVersion version = DatasetVersion.parse(maker.dataset() + "@" + d.store().latestVersion(maker.dataset()));
      UbiPricingModel model = VehiclesDemo.modelOf(VehiclesDemo.INSURER_A);
      UbiHeEngine.models(d.dataDir(), VehiclesDemo.INSURER_A).save(model.name(), model.weights(), model.bias());

      // Whole jobs, alternating rounds; each figure is the median.
      double[] teeS = new double[rounds], heS = new double[rounds];
      int teeScored = 0, heScored = 0;
      for (int round = 0; round < rounds; round++) {
        progress.println("round " + (round + 1) + " of " + rounds + ": a TEE job, an HE job ...");
        long t = System.nanoTime();
        teeScored = job(d, maker, version, UbiRoute.TEE, model);
        teeS[round] = seconds(t);
        t = System.nanoTime();
        heScored = job(d, maker, version, UbiRoute.HE, model);
        heS[round] = seconds(t);
      }
      double tee = BenchStats.median(teeS), he = BenchStats.median(heS);

      // The steps, on the features of every vehicle of the version (the maker's sums are common to both routes).
      progress.println("the steps: feature sums, plaintext model, HE key + encryption, scoring under encryption, decryption ...");
      var record = d.store().dataset(version).orElseThrow();
      long t = System.nanoTime();
      List<UbiFeatures.Vehicle> features = maker.features(version, record.manifest(), Set.of(), UbiScoring.MIN_TRIPS);
      double featuresS = seconds(t);
      double[][] rows = features.stream().map(UbiFeatures.Vehicle::features).toArray(double[][]::new);
      int n = rows.length;
      double[] plain = new double[n];
      t = System.nanoTime();
      for (int r = 0; r < 100; r++) for (int i = 0; i < n; i++) plain[i] = model.score(rows[i]);
      double plainS = seconds(t) / 100;
      double maxError = 0;
      long modelBytes = 0, scoreBytes = 0;
      // The first round warms the two sidecars (WebAssembly compilation, SEAL's context); the rows are medians of the rest.
      double[] keyR = new double[rounds], scoreR = new double[rounds], decryptR = new double[rounds];
      try (NodeSidecar insurer = new NodeSidecar("bench-insurer"); NodeSidecar makerSide = new NodeSidecar("bench-maker")) {
        double[][] probes = new double[8][];
        for (int p = 0; p < 8; p++) probes[p] = rows[p % n].clone();
        for (int round = -1; round < rounds; round++) {
          t = System.nanoTime();
          ScoringConsumer consumer = new ScoringConsumer(insurer.get(), HeParameters.CKKS_SCORING, model.scoring(), probes, 1);
          EncryptedModel sent = consumer.encryptModel();
          double keyS = seconds(t);
          modelBytes = sent.bytes();
          t = System.nanoTime();
          EncryptedScores scores = new ScoringOwner(makerSide.get(), new ScoringPolicy(Math.max(1, n), 0)).score(sent, rows);
          double scoreS = seconds(t);
          scoreBytes = scores.blocks().stream().mapToLong(b -> b.size()).sum();
          t = System.nanoTime();
          double[] opened = consumer.decrypt(scores, sent, scores.digest()).values();
          double decryptS = seconds(t);
          consumer.close();
          for (int i = 0; i < n; i++) maxError = Math.max(maxError, Math.abs(opened[i] - plain[i]));
          if (round >= 0) {
            keyR[round] = keyS;
            scoreR[round] = scoreS;
            decryptR[round] = decryptS;
          }
        }
      }
      double keyS = BenchStats.median(keyR), scoreS = BenchStats.median(scoreR), decryptS = BenchStats.median(decryptR);
      double heSteps = keyS + scoreS + decryptS;
      TextTable jobs = TextTable.withHeaders("whole licensed job (median)", "vehicles scored", "seconds", "seconds per 1,000 vehicles", "vs TEE");
      jobs.row("TEE route (the enclave scores in plaintext)", teeScored, fmt(tee), fmt(tee * 1000 / teeScored), "1.00");
      jobs.row("HE route (encrypted pricing model)", heScored, fmt(he), fmt(he * 1000 / heScored), String.format(Locale.ROOT, "%.2f", (he / heScored) / (tee / teeScored)));
      TextTable steps = TextTable.withHeaders("step (" + n + " vehicles)", "seconds", "seconds per 1,000 vehicles", "bytes");
      steps.row("maker sums the features from its telemetry (both routes)", fmt(featuresS), fmt(featuresS * 1000 / n), "");
      steps.row("plaintext model on the features", String.format(Locale.ROOT, "%.6f", plainS), String.format(Locale.ROOT, "%.6f", plainS * 1000 / n), "");
      steps.row("HE: insurer makes its key, encrypts the model", fmt(keyS), "(per job)", modelBytes);
      steps.row("HE: maker scores under encryption", fmt(scoreS), fmt(scoreS * 1000 / n), scoreBytes);
      steps.row("HE: insurer decrypts and checks its probes", fmt(decryptS), fmt(decryptS * 1000 / n), "");
      steps.row("HE steps in all", fmt(heSteps), fmt(heSteps * 1000 / n), String.format(Locale.ROOT, "%.0fx plaintext", heSteps / plainS));
      return String.format(Locale.ROOT, "%d vehicles x %d days; %d cores; medians of %d rounds (whole jobs alternating; the steps after a warm-up round); largest HE-vs-plaintext score difference %.2e%n",
          vehicles, days, Runtime.getRuntime().availableProcessors(), rounds, maxError) + jobs.render() + steps.render();
    }
  }

  private static int job(LocalDeployment d, VehicleMaker maker, DatasetVersion version, UbiRoute route, UbiPricingModel model) {
    maker.license(VehiclesDemo.LICENCE_A, version, Instant.now(), route);
    Computation c = route == UbiRoute.HE
        ? new Computation.HeScore(model.name(), UbiFeatures.SOURCE_COLUMNS, Computation.HeScore.LINEAR)
        : new Computation.SqlQuery(UbiScoring.SQL);
    JobOutcome o = d.consumer(VehiclesDemo.INSURER_A).submit(List.of(version), route == UbiRoute.HE ? Engine.HE : Engine.TEE, VehiclesDemo.PURPOSE, c);
    if (o.state() != JobState.COMMITTED) throw new CovenantException("the benchmark's " + route.wireName() + " job ended " + o.state() + ": " + o.reasons());
    return route == UbiRoute.HE ? d.ubiHeEngine().open(o.job()).scores().length : d.consumer(VehiclesDemo.INSURER_A).result(o.job()).rows().size();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static String fmt(double s) {
    return String.format(Locale.ROOT, "%.2f", s);
  }
}
