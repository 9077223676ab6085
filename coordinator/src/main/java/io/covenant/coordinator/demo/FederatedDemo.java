package io.covenant.coordinator.demo;

import io.covenant.coordinator.deployment.DeploymentFile;
import io.covenant.coordinator.deployment.DeploymentRunner;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.coordinator.deployment.ProcessSupervisor;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import io.covenant.mpc.fl.data.Auc;
import io.covenant.mpc.fl.data.LabelledData;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import io.covenant.mpc.fl.model.LocalTraining;
import io.covenant.mpc.fl.model.Model;
import io.covenant.mpc.fl.model.ModelKind;
import io.covenant.mpc.fl.privacy.RdpAccountant;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The federated readmission model ({@code ./covenant demo fl}) with every organisation in its own process: three
 * hospitals with different case mixes (a cardiac centre, a surgical hospital, an urban general hospital: non-IID) each
 * publish their patients' rows from their own node, and insurer-x trains one logistic regression on all of them on the
 * fl engine. Each hospital's node decrypts and trains on its own rows only; the coordinator aggregates updates masked
 * by secure aggregation. The demo runs the job twice: with secure aggregation alone, then under the hospitals' new
 * policies with a privacy budget, with DP-FedAvg (clipping and Gaussian noise), where hospital-c's tighter budget stops
 * its contributions part-way. Rounds are printed live from the insurer's own verified copy of the log; then each round's
 * loss and AUC on a held-out test set, the comparison with pooled training (what no party may do; the demo knows all
 * rows), the trail and the verified log.
 */
public final class FederatedDemo {
  public static final String LABEL = "readmitted";
  public static final String PURPOSE = "readmission-model";
  public static final int ROUNDS = 15;
  /** DP-FedAvg's clipping norm and noise multiplier in the demo's second job. */
  static final BigDecimal CLIPPING_NORM = new BigDecimal("1"), NOISE_MULTIPLIER = new BigDecimal("0.5");
  static final BigDecimal DELTA = new BigDecimal("0.00001");
  /** Rounds hospital-c's budget allows the DP job: its node declines the next one. */
  public static final int TIGHT_ROUNDS = 5;

  private final PrintStream out;

  public FederatedDemo(PrintStream out) {
    this.out = out;
  }

  /** What a run produced, for tests; the processes stay up until {@link #close()}. */
  public record Outcome(ProcessDemo.Running running, String plainJob, String dpJob, double pooledAuc, double federatedAuc, double dpAuc,
      List<Json.JObject> dpRounds, Map<String, String> dpStopped, Json.JObject audit, List<String> versions) implements AutoCloseable {
    @Override
    public void close() {
      running.close();
    }
  }

  /** The federated computation the demo submits: logistic regression over the scenario's features, with or without DP. */
  public static Computation.FederatedTraining computation(int rounds, boolean dp) {
    return new Computation.FederatedTraining(Computation.FederatedTraining.LOGISTIC_REGRESSION, 0, ReadmissionScenario.FEATURES, LABEL, rounds, 1, 32,
        new BigDecimal("0.1"), BigDecimal.ZERO, dp ? CLIPPING_NORM : BigDecimal.ZERO, dp ? NOISE_MULTIPLIER : BigDecimal.ZERO, DELTA, new BigDecimal("0.34"));
  }

  public Outcome run(Path dir, int rowsPerHospital) {
    return run(dir, rowsPerHospital, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /** As {@link #run(Path, int)}, the consortium made under {@code suite} on a first run (refused if it runs on the other). */
  public Outcome run(Path dir, int rowsPerHospital, io.covenant.core.crypto.CryptoSuite suite) {
    long startedAt = System.nanoTime();
    int steps = 8;
    DeploymentRunner.requireSuite(dir, dir.resolve("coordinator"), suite);
    out.println("Covenant demo, one process per organisation: the federated readmission model (secure aggregation, DP-FedAvg)");
    out.println("folder: " + dir.toAbsolutePath());
    new ProcessDemo(out).announceSuite(suite, io.covenant.core.crypto.FixedAlgorithms.EngineProtocol.SECURE_AGGREGATION);
    Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) nodeDirs.put(h.org(), dir.resolve("nodes").resolve(h.org().value()));
    nodeDirs.put(HospitalInsurerDemo.INSURER, dir.resolve("nodes").resolve(HospitalInsurerDemo.INSURER.value()));
    DeploymentFile deployment = ProcessDemo.deployment(dir, nodeDirs);
    out.println("[1/" + steps + "] Enrolling the operator, three hospitals, the insurer and the TEE worker, each into its own folder");
    if (!DeploymentRunner.enrolled(deployment)) {
      DeploymentRunner.enrol(deployment, new PrintStream(java.io.OutputStream.nullOutputStream()), suite);
      out.println("  ... " + (nodeDirs.size() + 2) + " identities certified by the consortium CA in " + dir.resolve("ca"));
    } else {
      out.println("  ... already enrolled by an earlier run");
    }
    out.println("[2/" + steps + "] Starting the processes (free ports on loopback; logs in " + dir.resolve("logs") + ")");
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("logs"), out);
    try {
      DeploymentRunner.Started started = DeploymentRunner.start(deployment, Set.of(), supervisor);
      OrgId insurer = HospitalInsurerDemo.INSURER;
      List<OrgId> hospitals = HospitalInsurerDemo.HOSPITALS.stream().map(h -> h.org()).toList();

      out.println("[3/" + steps + "] Each hospital publishes its patients (its own case mix) and a policy (engine fl, training on the model's columns)");
      List<LabelledData> all = ReadmissionScenario.generate(2026, hospitals.size(), rowsPerHospital);
      List<LabelledData> train = new ArrayList<>();
      List<LabelledData> test = new ArrayList<>();
      Path data = dir.resolve("fl-data");
      TextTable published = TextTable.withHeaders("dataset", "case mix", "rows", "readmitted", "policy hash");
      List<String> versions = new ArrayList<>();
      for (int i = 0; i < hospitals.size(); i++) {
        List<LabelledData> parts = all.get(i).split(0.8);
        train.add(parts.get(0));
        test.add(parts.get(1));
        Path csv = data.resolve(hospitals.get(i).value() + ".csv");
        writeCsv(csv, parts.get(0));
        Path node = nodeDirs.get(hospitals.get(i));
        Json.JObject d = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-file", "name", "readmissions", "file", csv.toAbsolutePath().toString()));
        Json.JObject p = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-policy", "policy", policy(hospitals.get(i), Optional.empty(), "readmissions-fl")));
        versions.add(d.string("dataset"));
        double positives = 0;
        for (double y : parts.get(0).labels()) positives += y;
        published.row(d.string("dataset"), ReadmissionScenario.caseMix(i).description(), d.number("rows"),
            String.format(Locale.ROOT, "%.1f %%", 100 * positives / parts.get(0).rows()), p.string("hash").substring(0, 16) + "…");
      }
      out.print(ProcessDemo.indent(published.render()));
      LabelledData heldOut = LabelledData.pooled(test);
      Model model = new ModelKind.LogisticRegression().over(ReadmissionScenario.FEATURES.size());

      out.println("[4/" + steps + "] insurer-x trains the model on the fl engine: each hospital's node trains on its own rows and sends only masked"
          + " updates; the coordinator learns their sum (rounds live from hospital-a's verified copy of the log)");
      Job plain = submit(nodeDirs.get(insurer), nodeDirs.get(hospitals.getFirst()), versions, computation(ROUNDS, false));
      out.print(ProcessDemo.indent(roundTable(plain, model, heldOut).render()));

      out.println("[5/" + steps + "] The hospitals publish new policies with a privacy budget; the same model as DP-FedAvg (clip "
          + CLIPPING_NORM.toPlainString() + ", noise multiplier " + NOISE_MULTIPLIER.toPlainString() + "): hospital-c's budget allows "
          + TIGHT_ROUNDS + " rounds of this job");
      TextTable budgets = TextTable.withHeaders("dataset", "epsilon per job", "epsilon total", "allows");
      for (int i = 0; i < hospitals.size(); i++) {
        int allowed = i == hospitals.size() - 1 ? TIGHT_ROUNDS : ROUNDS;
        BigDecimal perJob = epsilonAfter(allowed);
        NodeDesk.ask(nodeDirs.get(hospitals.get(i)), Json.obj("op", "publish-policy", "policy", policy(hospitals.get(i), Optional.of(perJob), "readmissions-fl-dp")));
        budgets.row(versions.get(i), perJob.toPlainString(), perJob.multiply(BigDecimal.valueOf(4)).toPlainString(), Plural.of(allowed, "round") + " at delta "
            + DELTA.toPlainString());
      }
      out.print(ProcessDemo.indent(budgets.render()));
      Job dp = submit(nodeDirs.get(insurer), nodeDirs.get(hospitals.getFirst()), versions, computation(ROUNDS, true));
      out.print(ProcessDemo.indent(roundTable(dp, model, heldOut).render()));
      dp.stopped().forEach((who, why) -> out.println("  - " + who + ": " + why));

      out.println("[6/" + steps + "] Federated against pooled training on the held-out patients of all three hospitals");
      LabelledData pooledRows = LabelledData.pooled(train);
      double[] central = LocalTraining.train(model, model.initialParameters(1), pooledRows, ROUNDS, 32, 0.1, 0, 99).parameters();
      double pooledAuc = Auc.of(model.predict(central, heldOut.features()), heldOut.labels());
      double plainAuc = Auc.of(model.predict(plain.parameters(), heldOut.features()), heldOut.labels());
      double dpAuc = Auc.of(model.predict(dp.parameters(), heldOut.features()), heldOut.labels());
      TextTable compare = TextTable.withHeaders("model", "test AUC", "vs pooled", "test loss");
      compare.row("pooled plaintext (" + ROUNDS + " epochs)", f4(pooledAuc), "", f4(model.loss(central, heldOut.features(), heldOut.labels())));
      compare.row("federated, secure aggregation", f4(plainAuc), String.format(Locale.ROOT, "%+.4f", plainAuc - pooledAuc),
          f4(model.loss(plain.parameters(), heldOut.features(), heldOut.labels())));
      compare.row("federated, secure aggregation + DP", f4(dpAuc), String.format(Locale.ROOT, "%+.4f", dpAuc - pooledAuc),
          f4(model.loss(dp.parameters(), heldOut.features(), heldOut.labels())));
      out.print(ProcessDemo.indent(compare.render()));

      out.println("[7/" + steps + "] Audit trail of the DP job " + dp.id() + ", from insurer-x's own verified copy of the log");
      Json.JObject trail = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "trail", "job", dp.id()));
      out.print(ProcessDemo.indent(trail.string("table")));
      out.println("[8/" + steps + "] insurer-x verifies the log as an auditor does (signatures, hash chain, Merkle root, job lifecycles, rounds)");
      Json.JObject audit = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "audit"));
      if (!audit.bool("ok")) throw new CovenantException("the log does not verify: " + audit.string("failure", "?"));
      out.println("  verified (" + Plural.of(audit.number("entries"), "entry", "entries") + ", " + Plural.of(audit.number("jobs"), "job") + ")");
      supervisor.requireAlive();
      out.printf("Demo complete in %.1f s. Inspect it: ./covenant verify --data-dir %s%n", (System.nanoTime() - startedAt) / 1e9, dir.resolve("coordinator"));
      ProcessDemo.Running running = new ProcessDemo.Running(supervisor, dir, started.coordinatorApi(), nodeDirs, started.nodeArgs(), started.workerArgs(),
          versions, dp.id(), dp.result(), audit, Json.obj(), Optional.of(dp.id()));
      return new Outcome(running, plain.id(), dp.id(), pooledAuc, plainAuc, dpAuc, dp.rounds(), dp.stopped(), audit, versions);
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  /** A committed federated job as the insurer sees it: its rounds from the log, and the opened model. */
  public record Job(String id, Json.JObject result, List<Json.JObject> rounds, double[] parameters, List<double[]> roundModels, Map<String, String> stopped,
      Map<Integer, Double> epsilons) {}

  /**
   * Submits from the insurer's node in the background and prints each round as {@code watcher}'s copy of the log records
   * it; then opens the result at the insurer's node.
   */
  public Job submit(Path insurer, Path watcher, List<String> versions, Computation.FederatedTraining computation) {
    return submit(insurer, watcher, versions, computation, round -> { });
  }

  /**
   * As above, calling {@code onRound} with each round as it is seen on the log (e.g. to stop a node mid-job in a test).
   * The rounds are read from {@code watcher}'s node (its own verified copy of the log): the insurer's desk answers one
   * request at a time, and it is busy with the submission until the job ends.
   */
  public Job submit(Path insurer, Path watcher, List<String> versions, Computation.FederatedTraining computation,
      java.util.function.Consumer<Json.JObject> onRound) {
    String id = JobId.random().value();
    CompletableFuture<Json> submitted = CompletableFuture.supplyAsync(() -> NodeDesk.ask(insurer, Json.obj("op", "submit", "job", id, "datasets", versions,
        "engine", "fl", "purpose", PURPOSE, "computation", computation.toJson())));
    List<Json.JObject> rounds = new ArrayList<>();
    out.println(String.format(Locale.ROOT, "    %-6s %-40s %-14s %-14s %s", "round", "summed (masked)", "dropped", "declined", "global model"));
    while (true) {
      boolean done = submitted.isDone();
      List<Json> seen = ((Json.JObject) NodeDesk.ask(watcher, Json.obj("op", "rounds", "job", id))).array("rounds");
      for (int i = rounds.size(); i < seen.size(); i++) {
        Json.JObject r = (Json.JObject) seen.get(i);
        rounds.add(r);
        if (r.has("refused")) {
          out.println("    " + r.string("refused") + "'s node: " + r.string("explanation"));
        } else {
          out.println(String.format(Locale.ROOT, "    %-6d %-40s %-14s %-14s %s…", r.number("round"), String.join(", ", r.strings("participants")),
              String.join(", ", r.strings("dropped")), String.join(", ", r.strings("declined")), r.string("globalModelHash").substring(0, 12)));
          onRound.accept(r);
        }
      }
      if (done) break;
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CovenantException("interrupted while the federated job ran");
      }
    }
    Json.JObject job = (Json.JObject) submitted.join();
    if (!"COMMITTED".equals(job.string("state"))) {
      throw new CovenantException("the federated job ended " + job.string("state") + ": " + job.members().get("reasons").encode());
    }
    Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", id));
    List<Double> params = new ArrayList<>();
    List<double[]> models = new ArrayList<>();
    Map<String, String> stopped = new LinkedHashMap<>();
    Map<Integer, Double> epsilons = new LinkedHashMap<>();
    for (Json row : result.array("data")) {
      List<String> cells = ((Json.JArray) row).items().stream().map(j -> ((Json.JString) j).value()).toList();
      switch (cells.get(0)) {
        case "parameter" -> params.add(Double.parseDouble(cells.get(2)));
        case "round-model" -> {
          String[] v = cells.get(2).split(",");
          double[] m = new double[v.length];
          for (int k = 0; k < v.length; k++) m[k] = Double.parseDouble(v[k]);
          models.add(m);
        }
        case "declined", "dropped", "stopped" -> stopped.merge(cells.get(0) + " " + cells.get(1), cells.get(2), (a, b) -> a + "; " + b);
        case "round" -> {
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("epsilon=(\\S+)").matcher(cells.get(2));
          if (m.find()) epsilons.put(Integer.parseInt(cells.get(1)), Double.parseDouble(m.group(1)));
        }
        default -> { }
      }
    }
    out.println("  ... job " + id + " committed; the model (" + params.size() + " parameters, its hash checked against RESULT_COMMITTED) opened at insurer-x's node");
    return new Job(id, result, rounds.stream().filter(r -> !r.has("refused")).toList(), params.stream().mapToDouble(Double::doubleValue).toArray(), models, stopped,
        epsilons);
  }

  /** Each round's global model on the held-out rows: what the training's course looked like. */
  private static TextTable roundTable(Job job, Model model, LabelledData heldOut) {
    TextTable t = TextTable.withHeaders("round", "hospitals summed", "test loss", "test AUC", "epsilon so far (delta " + DELTA.toPlainString() + ")");
    for (int k = 0; k < job.rounds().size() && k < job.roundModels().size(); k++) {
      double[] m = job.roundModels().get(k);
      int round = (int) job.rounds().get(k).number("round");
      double eps = job.epsilons().getOrDefault(round, Double.POSITIVE_INFINITY);
      t.row(round, job.rounds().get(k).strings("participants").size(), f4(model.loss(m, heldOut.features(), heldOut.labels())),
          f4(Auc.of(model.predict(m, heldOut.features()), heldOut.labels())), Double.isInfinite(eps) ? "no DP" : String.format(Locale.ROOT, "%.2f", eps));
    }
    return t;
  }

  /** The epsilon (delta {@link #DELTA}) of {@code rounds} rounds of the DP job, rounded up to two decimals: what a policy allows for them. */
  static BigDecimal epsilonAfter(int rounds) {
    double eps = new RdpAccountant().compose(1.0, NOISE_MULTIPLIER.doubleValue(), rounds).spent(DELTA.doubleValue()).epsilon();
    return BigDecimal.valueOf(eps).setScale(2, RoundingMode.CEILING);
  }

  /**
   * A hospital's policy for its readmissions: insurer-x, purpose readmission-model, engine fl only, a training section
   * naming the model's columns, and with {@code epsilonPerJob} a privacy budget of that per job and four times it in
   * total. {@code id} names the policy (a new id is a new policy text).
   */
  public static String policy(OrgId hospital, Optional<BigDecimal> epsilonPerJob, String id) {
    List<String> columns = new ArrayList<>(ReadmissionScenario.FEATURES);
    columns.add(LABEL);
    Map<String, Object> rules = new LinkedHashMap<>();
    for (String c : columns) rules.put(c, "aggregate");
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("covenantPolicy", 1);
    p.put("id", hospital.value() + "-" + id);
    p.put("dataset", hospital.value() + "/readmissions");
    p.put("assignees", List.of(HospitalInsurerDemo.INSURER.value()));
    p.put("purposes", List.of(PURPOSE));
    p.put("engines", List.of("fl"));
    p.put("minCohort", 10);
    p.put("columns", rules);
    p.put("defaultColumnRule", "never");
    p.put("maxUses", 20);
    p.put("approval", Json.obj("required", false));
    p.put("training", Json.obj("columns", columns, "minRows", 100));
    epsilonPerJob.ifPresent(e -> p.put("privacy", Json.obj("epsilonPerQuery", e, "epsilonTotal", e.multiply(BigDecimal.valueOf(4)))));
    List<Object> flat = new ArrayList<>();
    p.forEach((k, v) -> {
      flat.add(k);
      flat.add(v);
    });
    return Json.obj(flat.toArray()).encode();
  }

  private static void writeCsv(Path file, LabelledData rows) {
    try {
      Files.createDirectories(file.getParent());
      try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        w.write(String.join(",", ReadmissionScenario.FEATURES) + "," + LABEL + "\n");
        int d = rows.featureCount();
        for (int i = 0; i < rows.rows(); i++) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < d; c++) line.append(Double.toString(rows.features().data[i * d + c])).append(',');
          line.append(rows.labels()[i] == 1 ? "1" : "0").append('\n');
          w.write(line.toString());
        }
      }
    } catch (IOException e) {
      throw new CovenantException("cannot write the demo's data " + file + ": " + e.getMessage(), e);
    }
  }

  private static String f4(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }
}
