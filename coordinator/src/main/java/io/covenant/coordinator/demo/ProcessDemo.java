package io.covenant.coordinator.demo;

import io.covenant.core.identity.MutualTls;
import io.covenant.coordinator.deployment.DeploymentFile;
import io.covenant.coordinator.deployment.DeploymentRunner;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.coordinator.deployment.ProcessSupervisor;
import io.covenant.coordinator.identity.OrgRole;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.text.Plural;
import io.covenant.core.text.TextTable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hospital → insurer scenario with every organisation in a process of its own, on loopback: the coordinator
 * ({@code serve --tls --topology}), the TEE worker ({@code worker serve}), three hospital nodes and the insurer's node
 * ({@code node}), all speaking mutual TLS with consortium certificates. The coordinator's process holds the operator's
 * signing key and nothing else secret: the hospitals publish from their own nodes, the worker asks each hospital's node
 * for its key, and the insurer submits and opens the result at its own node.
 *
 * <p>Layout of the folder: {@code ca/} (the consortium CA), {@code coordinator/} (its data directory),
 * {@code nodes/<org>/} (each node's own folder), {@code worker/}, {@code topology.json}, {@code logs/<process>.log}.
 * The supervisor (this class) enrols everyone before the processes start, as a consortium's installer would on each
 * host, and then acts only through the nodes' desks.
 */
public final class ProcessDemo {
  public static final OrgId WORKER = OrgId.of("tee-worker");

  private final PrintStream out;

  public ProcessDemo(PrintStream out) {
    this.out = out;
  }

  /** What a run produced, for tests: the running processes stay up until the caller closes the supervisor. */
  public record Running(ProcessSupervisor supervisor, Path dir, URI coordinatorApi, Map<OrgId, Path> nodeDirs, Map<OrgId, List<String>> nodeArgs, List<String> workerArgs,
      List<String> versions, String statisticsJob, Json result, Json audit, Json denied, Optional<String> mpcJob) implements AutoCloseable {
    /** The running child of {@code name} (coordinator, tee-worker or an organisation). */
    public ProcessSupervisor.Child child(String name) {
      return supervisor.children().stream().filter(c -> c.name().equals(name)).findFirst()
          .orElseThrow(() -> new CovenantException("no process named " + name + " is running"));
    }

    /** Stops {@code org}'s node, as a crash or an administrator would. */
    public void stopNode(OrgId org) {
      supervisor.stop(child(org.value()));
    }

    /** Stops the TEE worker, as a crash would. */
    public void stopWorker() {
      supervisor.stop(child("worker"));
    }

    /** Starts the TEE worker again on the same address with the same keys. */
    public void startWorker() {
      supervisor.start("worker", workerArgs, DeploymentRunner.WORKER_READY, Duration.ofSeconds(120));
    }

    /** Starts {@code org}'s node again on the same address, as after a restart. */
    public void startNode(OrgId org) {
      supervisor.start(org.value(), nodeArgs.get(org), DeploymentRunner.NODE_READY, Duration.ofSeconds(120));
    }

    @Override
    public void close() {
      supervisor.close();
    }
  }

  /**
   * Prints the consortium's suite and the transport between the processes (the TLS caveat under the national suite),
   * and under the national suite what the scenario's engine {@code protocols} keep as their papers fix them.
   */
  public void announceSuite(io.covenant.core.crypto.CryptoSuite suite, io.covenant.core.crypto.FixedAlgorithms.EngineProtocol... protocols) {
    out.println("crypto suite: " + suite.id() + " (" + suite.signatureAlgorithm() + ", " + suite.hashAlgorithm() + ", " + suite.aeadAlgorithm() + ")");
    out.println("transport between the processes: " + MutualTls.transportOf(suite));
    if (!suite.isNational()) return;
    for (var p : protocols) {
      out.println("engine protocol: " + p.fixes() + "; the ledger, identities, storage, key sealing and content identifiers stay national");
    }
  }

  /** Runs the scenario in {@code dir} (new or from an earlier run) and leaves the processes running for the caller to stop. */
  public Running run(Path dir) {
    return run(dir, false);
  }

  /**
   * Runs the scenario; with {@code alsoMpc}, the insurer also runs the same statistics query on the multi-party engine
   * (the three hospitals' nodes compute it on secret shares, each feeding its own decrypted claims) and the two tables
   * are printed side by side.
   */
  public Running run(Path dir, boolean alsoMpc) {
    return run(dir, alsoMpc, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /**
   * As {@link #run(Path, boolean)}, the consortium made under {@code suite} on a first run. Under the national suite
   * every signature, hash, AEAD and KEM of the ledger, shards and keys is SM2/SM3/SM4, while mutual TLS between the
   * processes runs on international primitives with SM2-certified transport keys ({@link MutualTls#transportOf}); the
   * output says so.
   */
  public Running run(Path dir, boolean alsoMpc, io.covenant.core.crypto.CryptoSuite suite) {
    long startedAt = System.nanoTime();
    int steps = alsoMpc ? 8 : 7;
    DeploymentRunner.requireSuite(dir, dir.resolve("coordinator"), suite);
    out.println("Covenant demo, one process per organisation: hospital -> insurer claim statistics over mutual TLS");
    out.println("folder: " + dir.toAbsolutePath());
    if (alsoMpc) announceSuite(suite, io.covenant.core.crypto.FixedAlgorithms.EngineProtocol.REPLICATED_SHARING);
    else announceSuite(suite);
    Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) nodeDirs.put(h.org(), dir.resolve("nodes").resolve(h.org().value()));
    nodeDirs.put(HospitalInsurerDemo.INSURER, dir.resolve("nodes").resolve(HospitalInsurerDemo.INSURER.value()));
    Path coordinatorDir = dir.resolve("coordinator");

    DeploymentFile deployment = deployment(dir, nodeDirs);

    out.println("[" + step(1, alsoMpc) + "/" + steps + "] Enrolling the operator, three hospitals, the insurer and the TEE worker, each into its own folder");
    if (!DeploymentRunner.enrolled(deployment)) {
      DeploymentRunner.enrol(deployment, new PrintStream(java.io.OutputStream.nullOutputStream()), suite);
      out.println("  ... " + (nodeDirs.size() + 2) + " identities certified by the consortium CA in " + dir.resolve("ca")
          + "; keystores in nodes/, worker/ and coordinator/");
    } else {
      out.println("  ... already enrolled by an earlier run");
    }

    out.println("[" + step(2, alsoMpc) + "/" + steps + "] Starting the processes (free ports on loopback; logs in " + dir.resolve("logs") + ")");
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("logs"), out);
    try {
      DeploymentRunner.Started started = DeploymentRunner.start(deployment, Set.of(), supervisor);
      var coordinator = started.children().get("coordinator");
      var worker = started.children().get("worker");
      URI api = started.coordinatorApi();
      Map<OrgId, List<String>> nodeArgs = started.nodeArgs();
      List<ProcessSupervisor.Child> nodeChildren = nodeDirs.keySet().stream().map(o -> started.children().get(o.value())).toList();
      TextTable processes = TextTable.withHeaders("process", "pid", "address", "holds");
      processes.row("coordinator", coordinator.process().pid(), coordinator.announced(), "the operator's signing key only");
      processes.row("tee-worker", worker.process().pid(), deployment.worker().orElseThrow().process().address(), "its identity and simulation key (SIMULATED)");
      for (var n : nodeChildren) processes.row(n.name(), n.process().pid(), n.announced(), "its own keystore: signing, encryption and data keys");
      out.print(indent(processes.render()));

      out.println("[" + step(3, alsoMpc) + "/" + steps + "] Each hospital encrypts and publishes its claims and its policy from its own node");
      List<String> versions = new ArrayList<>();
      TextTable published = TextTable.withHeaders("dataset", "rows", "shards", "policy hash");
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        Path node = nodeDirs.get(h.org());
        Json.JObject d = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-synthetic-claims", "name", "claims", "seed", h.seed(), "rows", h.rows(),
            "costLevel", String.valueOf(h.costLevel())));
        Json.JObject p = (Json.JObject) NodeDesk.ask(node, Json.obj("op", "publish-policy", "policy", HospitalInsurerDemo.policyFor(h.org())));
        versions.add(d.string("dataset"));
        published.row(d.string("dataset"), d.number("rows"), d.number("shards"), p.string("hash").substring(0, 16) + "…");
      }
      out.print(indent(published.render()));

      out.println("[" + step(4, alsoMpc) + "/" + steps + "] insurer-x submits the statistics query from its node; the worker asks each hospital's node for its key");
      Path insurer = nodeDirs.get(HospitalInsurerDemo.INSURER);
      Json.JObject job = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "tee", "purpose", "risk-model",
          "sql", HospitalInsurerDemo.STATISTICS_SQL));
      if (!"COMMITTED".equals(job.string("state"))) {
        throw new CovenantException("the statistics job ended " + job.string("state") + ": " + job.members().get("reasons").encode());
      }
      Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", job.string("job")));
      out.println("  ... job " + job.string("job") + " committed; " + Plural.of(result.number("rows"), "group") + " opened at insurer-x's node");
      out.print(indent(result.string("table")));

      String mpcJob = null;
      if (alsoMpc) {
        out.println("[5/" + steps + "] The same query on the multi-party engine: the three hospitals' nodes compute it on secret shares over mutual TLS");
        Json.JObject m = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "mpc", "purpose", "risk-model",
            "sql", HospitalInsurerDemo.STATISTICS_SQL));
        if (!"COMMITTED".equals(m.string("state"))) {
          throw new CovenantException("the multi-party job ended " + m.string("state") + ": " + m.members().get("reasons").encode());
        }
        mpcJob = m.string("job");
        Json.JObject mpcResult = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", mpcJob));
        out.println("  ... job " + mpcJob + " committed; each hospital decrypted only its own claims, in its own node, and secret-shared its "
            + "per-group counts and clamped sums (plus its own noise); the insurer added up the three parties' shares at its node");
        out.print(indent(mpcResult.string("table")));
        out.print(indent(MpcComparison.render(result, mpcResult)));
      }

      String shown = mpcJob != null ? mpcJob : job.string("job");
      out.println("[" + step(5, alsoMpc) + "/" + steps + "] Audit trail of " + shown + ", from insurer-x's own verified copy of the log");
      Json.JObject trail = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "trail", "job", shown));
      out.println("  ... " + Plural.of(trail.number("entries"), "entry", "entries") + ", each signed by the organisation that acted: the hospitals "
          + "themselves signed " + (mpcJob != null ? "INPUT_SHARED (no key left them)" : "KEY_RELEASED") + ", from their own nodes");
      out.print(indent(trail.string("table")));

      out.println("[" + step(6, alsoMpc) + "/" + steps + "] insurer-x verifies the log as an auditor does (signatures, hash chain, Merkle root, job lifecycles)");
      Json.JObject audit = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "audit"));
      if (!audit.bool("ok")) throw new CovenantException("the log does not verify: " + audit.string("failure", "?"));
      out.println("  ... " + Plural.of(audit.number("entries"), "entry", "entries") + ", " + Plural.of(audit.number("jobs"), "job")
          + "; the latest checkpoint the nodes cosigned covers " + audit.number("witnessed") + " entries, cosigned by "
          + String.join(", ", audit.array("cosigners").stream().map(j -> ((Json.JString) j).value()).toList()));
      out.println("  verified");
      out.println("  tamper test on an exported copy: " + audit.string("tamper", "no result to tamper with"));

      out.println("[" + step(7, alsoMpc) + "/" + steps + "] insurer-x tries to single out patients");
      Json.JObject denied = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", versions, "engine", "tee", "purpose", "risk-model",
          "sql", HospitalInsurerDemo.SINGLING_OUT_SQL));
      if (!"DENIED".equals(denied.string("state"))) throw new CovenantException("the singling-out query was not denied: " + denied.string("state"));
      out.println("  ... DENIED (JOB_DENIED on the ledger); the job never reached the worker");
      // One more audit waits for the witnesses' next round, so the denial, too, is cosigned before anyone audits the folder.
      NodeDesk.ask(insurer, Json.obj("op", "audit"));
      supervisor.requireAlive();
      for (String reason : ((Json.JObject) denied).array("reasons").stream().map(j -> ((Json.JString) j).value()).toList()) out.println("  - " + reason);
      out.printf("Demo complete in %.1f s, every organisation in its own process. Inspect it: ./covenant verify --data-dir %s%n",
          (System.nanoTime() - startedAt) / 1e9, coordinatorDir);
      return new Running(supervisor, dir, api, nodeDirs, nodeArgs, started.workerArgs(), versions, job.string("job"), result, audit, denied, Optional.ofNullable(mpcJob));
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  /**
   * Enrols (once) and starts the demo's processes in {@code dir}, with no data and no job: for benchmarks that bring
   * their own. The processes stay up until the caller closes the result.
   */
  public Running startProcesses(Path dir) {
    Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) nodeDirs.put(h.org(), dir.resolve("nodes").resolve(h.org().value()));
    nodeDirs.put(HospitalInsurerDemo.INSURER, dir.resolve("nodes").resolve(HospitalInsurerDemo.INSURER.value()));
    DeploymentFile deployment = deployment(dir, nodeDirs);
    if (!DeploymentRunner.enrolled(deployment)) DeploymentRunner.enrol(deployment, new PrintStream(java.io.OutputStream.nullOutputStream()));
    ProcessSupervisor supervisor = new ProcessSupervisor(dir.resolve("logs"), out);
    try {
      DeploymentRunner.Started started = DeploymentRunner.start(deployment, Set.of(), supervisor);
      return new Running(supervisor, dir, started.coordinatorApi(), nodeDirs, started.nodeArgs(), started.workerArgs(), List.of(), "", Json.obj(),
          Json.obj(), Json.obj(), Optional.empty());
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  /** The schedule of the risk model: the consumer's choice, written into its job. */
  public static final io.covenant.mpc.model.SgdSchedule RISK_SCHEDULE = new io.covenant.mpc.model.SgdSchedule(3, 64, 0.5);
  private static final OrgId RISK_HELPER = OrgId.of("hospital-b");

  /**
   * The insurer × hospital risk model ({@code ./covenant demo risk}): hospital-a holds patients' clinical features,
   * insurer-x its policyholders' claims of last year, both keyed by the same pseudonym. Their nodes intersect the ids by
   * PSI and train a logistic regression in a three-party computation with hospital-b's node as the helper; the model,
   * sealed to the insurer, is printed beside the same model trained in the clear on the pooled rows.
   */
  public Running runRisk(Path dir, int population) {
    return runRisk(dir, population, io.covenant.core.crypto.CryptoSuite.INTL);
  }

  /** As {@link #runRisk(Path, int)}, the consortium made under {@code suite} on a first run (refused if it runs on the other). */
  public Running runRisk(Path dir, int population, io.covenant.core.crypto.CryptoSuite suite) {
    long startedAt = System.nanoTime();
    int steps = 7;
    DeploymentRunner.requireSuite(dir, dir.resolve("coordinator"), suite);
    out.println("Covenant demo, one process per organisation: the insurer x hospital risk model (PSI, then logistic regression in MPC)");
    out.println("folder: " + dir.toAbsolutePath());
    announceSuite(suite, io.covenant.core.crypto.FixedAlgorithms.EngineProtocol.PRIVATE_SET_INTERSECTION, io.covenant.core.crypto.FixedAlgorithms.EngineProtocol.REPLICATED_SHARING);
    Map<OrgId, Path> nodeDirs = new LinkedHashMap<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) nodeDirs.put(h.org(), dir.resolve("nodes").resolve(h.org().value()));
    nodeDirs.put(HospitalInsurerDemo.INSURER, dir.resolve("nodes").resolve(HospitalInsurerDemo.INSURER.value()));
    DeploymentFile deployment = deployment(dir, nodeDirs);
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
      OrgId hospital = HospitalInsurerDemo.HOSPITALS.getFirst().org();
      OrgId insurer = HospitalInsurerDemo.INSURER;

      RiskOutcome risk = riskModel(nodeDirs, dir.resolve("risk-data"), population, steps);
      Json.JObject job = risk.job();
      Json.JObject result = risk.model();
      List<String> versions = risk.versions();
      double secureAccuracy = risk.secureAccuracy();
      double pooledAccuracy = risk.pooledAccuracy();
      out.println("[7/" + steps + "] Audit trail of " + job.string("job") + " and the log verified from insurer-x's own copy");
      Json.JObject trail = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "trail", "job", job.string("job")));
      out.print(indent(trail.string("table")));
      Json.JObject audit = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "audit"));
      if (!audit.bool("ok")) throw new CovenantException("the log does not verify: " + audit.string("failure", "?"));
      out.println("  verified (" + Plural.of(audit.number("entries"), "entry", "entries") + ")");
      supervisor.requireAlive();
      out.printf("Demo complete in %.1f s. Inspect it: ./covenant verify --data-dir %s%n", (System.nanoTime() - startedAt) / 1e9, dir.resolve("coordinator"));
      return new Running(supervisor, dir, started.coordinatorApi(), nodeDirs, started.nodeArgs(), started.workerArgs(), versions, job.string("job"),
          result, audit, Json.obj("secureAccuracy", String.valueOf(secureAccuracy), "pooledAccuracy", String.valueOf(pooledAccuracy)), Optional.of(job.string("job")));
    } catch (RuntimeException e) {
      supervisor.close();
      throw e;
    }
  }

  /**
   * What the risk demo produced: the intersection job and the ids it matched (opened at the insurer's node), the model
   * job, the opened model, both accuracies on the matched rows, and how many rows the scenario really shares.
   */
  public record RiskOutcome(Json.JObject intersection, List<String> matchedIds, Json.JObject job, Json.JObject model, List<String> versions,
      double secureAccuracy, double pooledAccuracy, int trulyShared) {}

  /**
   * Steps 3 to 6 of the risk demo on running nodes: publish both datasets and policies from their owners' nodes, let
   * the insurer learn which of its policyholders are the hospital's patients (a PSI only it learns from), submit the
   * model from the insurer's node, open it there, and compare it with pooled training in the clear.
   */
  public RiskOutcome riskModel(Map<OrgId, Path> nodeDirs, Path data, int population, int steps) {
    OrgId hospital = HospitalInsurerDemo.HOSPITALS.getFirst().org();
    OrgId insurer = HospitalInsurerDemo.INSURER;
    out.println("[3/" + steps + "] hospital-a publishes its patients' features, insurer-x its policyholders' claims, each with a policy"
        + " (engine mpc only, the pseudonym for matching only, the other columns only inside the model)");
    RiskScenario scenario = new RiskScenario(population, 0x5EED);
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new CovenantException("cannot create " + data + ": " + e.getMessage(), e);
    }
    Path hospitalCsv = data.resolve("patients.csv");
    Path insurerCsv = data.resolve("policyholders.csv");
    scenario.writeHospital(hospitalCsv);
    scenario.writeInsurer(insurerCsv);
    TextTable published = TextTable.withHeaders("dataset", "rows", "columns used", "policy hash");
    Json.JObject features = (Json.JObject) NodeDesk.ask(nodeDirs.get(hospital), Json.obj("op", "publish-file", "name", "patients", "file",
        hospitalCsv.toAbsolutePath().toString()));
    Json.JObject fp = (Json.JObject) NodeDesk.ask(nodeDirs.get(hospital), Json.obj("op", "publish-policy", "policy",
        riskPolicy(hospital.value() + "/patients", RiskScenario.FEATURES)));
    published.row(features.string("dataset"), features.number("rows"), "patient_id (join), " + String.join(", ", RiskScenario.FEATURES),
        fp.string("hash").substring(0, 16) + "…");
    Json.JObject labels = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "publish-file", "name", "policyholders", "file",
        insurerCsv.toAbsolutePath().toString()));
    Json.JObject lp = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "publish-policy", "policy",
        riskPolicy(insurer.value() + "/policyholders", List.of("claimed"))));
    published.row(labels.string("dataset"), labels.number("rows"), "patient_id (join), claimed", lp.string("hash").substring(0, 16) + "…");
    out.print(indent(published.render()));
    List<String> versions = List.of(features.string("dataset"), labels.string("dataset"));

    out.println("[4/" + steps + "] insurer-x asks which of its policyholders are hospital-a's patients: a private set intersection between the two"
        + " nodes (KKRT16 over mutual TLS) that only insurer-x learns from; hospital-a's node learns the two set sizes, the coordinator sealed bytes");
    Json.JObject psi = new io.covenant.core.job.Computation.PrivateSetIntersection("patient_id",
        io.covenant.core.job.Computation.PrivateSetIntersection.Learners.CONSUMER).toJson();
    Json.JObject intersection = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "submit", "datasets", List.of(labels.string("dataset"),
        features.string("dataset")), "engine", "mpc", "purpose", "risk-model", "computation", psi));
    if (!"COMMITTED".equals(intersection.string("state"))) {
      throw new CovenantException("the intersection ended " + intersection.string("state") + ": " + intersection.members().get("reasons").encode());
    }
    Json.JObject matchedResult = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "result", "job", intersection.string("job")));
    List<String> matchedIds = new ArrayList<>();
    for (Json r : matchedResult.array("data")) matchedIds.add(((Json.JString) ((Json.JArray) r).items().getFirst()).value());
    out.println("  ... job " + intersection.string("job") + " committed; insurer-x's node opened " + matchedIds.size() + " matched ids of its "
        + labels.number("rows") + " policyholders (first: " + (matchedIds.isEmpty() ? "none" : matchedIds.getFirst()) + "); the ledger records no count,"
        + " as neither policy sets matching.revealCount");

    out.println("[5/" + steps + "] insurer-x submits the model; the two nodes intersect their ids (KKRT16 PSI over their mutual-TLS link), then train"
        + " with " + RISK_HELPER + "'s node as the third party; only the model leaves, sealed to insurer-x");
    Json.JObject computation = new io.covenant.core.job.Computation.VerticalLogisticRegression("patient_id", RiskScenario.FEATURES, "claimed",
        RISK_SCHEDULE.epochs(), RISK_SCHEDULE.batchSize(), java.math.BigDecimal.valueOf(RISK_SCHEDULE.learningRate()), RISK_HELPER).toJson();
    Json.JObject job = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "submit", "datasets", versions, "engine", "mpc",
        "purpose", "risk-model", "computation", computation));
    if (!"COMMITTED".equals(job.string("state"))) {
      throw new CovenantException("the risk model ended " + job.string("state") + ": " + job.members().get("reasons").encode());
    }
    Json.JObject result = (Json.JObject) NodeDesk.ask(nodeDirs.get(insurer), Json.obj("op", "result", "job", job.string("job")));
    out.println("  ... job " + job.string("job") + " committed; the model, opened at insurer-x's node:");
    out.print(indent(result.string("table")));

    out.println("[6/" + steps + "] The same model trained in the clear on the pooled matched rows (what no party may do; the demo knows both sides)");
    io.covenant.mpc.model.LogisticModel pooled = scenario.pooledModel(RISK_SCHEDULE);
    List<Json> rows = result.array("data");
    double[] w = new double[RiskScenario.FEATURES.size()];
    double intercept = 0;
    for (Json r : rows) {
      List<Json> cells = ((Json.JArray) r).items();
      String term = ((Json.JString) cells.get(0)).value();
      double value = Double.parseDouble(((Json.JString) cells.get(1)).value());
      int k = RiskScenario.FEATURES.indexOf(term);
      if (k >= 0) w[k] = value;
      if (term.equals("(intercept)")) intercept = value;
    }
    io.covenant.mpc.model.LogisticModel secure = new io.covenant.mpc.model.LogisticModel(w, intercept);
    RiskScenario.Pooled matched = scenario.pooled();
    double secureAccuracy = secure.accuracy(matched.features(), matched.labels());
    double pooledAccuracy = pooled.accuracy(matched.features(), matched.labels());
    TextTable compare = TextTable.withHeaders("model", "accuracy on the matched rows", "intercept", "weights");
    compare.row("MPC (the nodes, on shares)", String.format(java.util.Locale.ROOT, "%.2f %%", 100 * secureAccuracy), String.format(java.util.Locale.ROOT, "%.3f", intercept),
        java.util.Arrays.stream(w).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3f", v)).toList());
    compare.row("pooled plaintext", String.format(java.util.Locale.ROOT, "%.2f %%", 100 * pooledAccuracy), String.format(java.util.Locale.ROOT, "%.3f", pooled.intercept()),
        java.util.Arrays.stream(pooled.weights()).mapToObj(v -> String.format(java.util.Locale.ROOT, "%.3f", v)).toList());
    out.print(indent(compare.render()));
    out.println(String.format(java.util.Locale.ROOT, "  ... %d matched rows; accuracy %+.2f percentage points against pooled training",
        matched.labels().length, 100 * (secureAccuracy - pooledAccuracy)));

    return new RiskOutcome(intersection, matchedIds, job, result, versions, secureAccuracy, pooledAccuracy, matched.labels().length);
  }

  /**
   * Both owners allow the other to learn which ids they share (matching.revealMatches): the insurer's intersection and
   * the model's alignment reveal it. The count stays off the ledger (revealCount false).
   */
  private static String riskPolicy(String dataset, List<String> modelColumns) {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("patient_id", "join");
    for (String c : modelColumns) columns.put(c, "aggregate");
    return Json.obj("covenantPolicy", 1, "id", dataset.replace('/', '-') + "-risk-model", "dataset", dataset,
        "assignees", List.of(HospitalInsurerDemo.INSURER.value()), "purposes", List.of("risk-model"), "engines", List.of("mpc"),
        "minCohort", 10, "columns", columns, "defaultColumnRule", "never", "maxUses", 20, "approval", Json.obj("required", false),
        "matching", Json.obj("revealMatches", true, "revealCount", false)).encode();
  }

  /** The demo's deployment: coordinator, TEE worker, the three hospitals' and the insurer's nodes, on free loopback ports. */
  public static DeploymentFile deployment(Path dir, Map<OrgId, Path> nodeDirs) {
    List<DeploymentFile.Node> nodes = new ArrayList<>();
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      nodes.add(new DeploymentFile.Node(h.org(), h.name(), Set.of(OrgRole.OWNER), local(nodeDirs.get(h.org())), Optional.of("auto")));
    }
    // The insurer consumes results and, in the risk model, owns its policyholders' claim labels.
    nodes.add(new DeploymentFile.Node(HospitalInsurerDemo.INSURER, "Insurer X", Set.of(OrgRole.CONSUMER, OrgRole.OWNER), local(nodeDirs.get(HospitalInsurerDemo.INSURER)),
        Optional.empty()));
    return new DeploymentFile(dir, "Covenant demo consortium", local(dir.resolve("coordinator")),
        Optional.of(new DeploymentFile.Worker(WORKER, local(dir.resolve("worker")))), nodes, Map.of());
  }

  /** A process on loopback at a free port, in {@code folder}. */
  private static DeploymentFile.Process local(Path folder) {
    String listen = "127.0.0.1:" + freePort();
    return new DeploymentFile.Process(listen, URI.create("https://" + listen + "/"), folder);
  }

  /**
   * A port free on loopback now, drawn at random below the ranges operating systems hand out for outgoing
   * connections (Linux 32768-60999, Windows and macOS 49152-65535). A port the system chose for a listener
   * ({@code new ServerSocket(0)}) comes from that range, so between this choice and the child's start, seconds later,
   * any outgoing connection on the machine could take it (seen: a node that could not listen during a busy test run).
   */
  public static int freePort() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    IOException last = null;
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = random.nextInt(EPHEMERAL_FLOOR - PORT_SPAN, EPHEMERAL_FLOOR);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        last = e;
      }
    }
    throw new CovenantException("cannot find a free port on loopback between " + (EPHEMERAL_FLOOR - PORT_SPAN) + " and " + EPHEMERAL_FLOOR
        + " after 200 tries (" + (last == null ? "" : last.getMessage()) + "); free some, or write a deployment file with fixed ports and use './covenant up'");
  }

  /** The lowest port Linux hands out for outgoing connections by default; the demo's listeners stay below it. */
  private static final int EPHEMERAL_FLOOR = 32768;

  /** How far below it the demo's ports are drawn from. */
  private static final int PORT_SPAN = 12768;

  private static int step(int n, boolean alsoMpc) {
    return alsoMpc && n >= 5 ? n + 1 : n;
  }

  /** {@code block} indented by four spaces, with a blank line after it: how the demos print tables. */
  public static String indent(String block) {
    StringBuilder sb = new StringBuilder();
    block.lines().forEach(l -> sb.append("    ").append(l).append('\n'));
    return sb.append('\n').toString();
  }
}
