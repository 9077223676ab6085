package io.covenant.coordinator.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.demo.ProcessDemo;
import io.covenant.coordinator.demo.SyntheticClaims;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.codec.Json;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.node.keystore.OrgKeystore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's deployment with every organisation in a process of its own (coordinator, TEE worker, three hospital
 * nodes, the insurer's node), over mutual TLS: the scenario runs; the coordinator's heap and folder hold no data key,
 * no KEK, no private key of an organisation and no patient's id; a hospital node that is down fails the job naming the
 * hospital, and the job succeeds again once the node is back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EachOrganisationInItsOwnProcess {
  private Path dir;
  private ProcessDemo.Running running;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeAll
  void runTheDemo(@TempDir Path tmp) {
    dir = tmp;
    // With the multi-party route too ('./covenant demo mpc'), so every test below also covers a job run on the nodes.
    running = new ProcessDemo(new PrintStream(output, true, StandardCharsets.UTF_8)).run(dir.resolve("demo"), true);
  }

  @AfterAll
  void stop() {
    if (running != null) running.close();
  }

  @Test
  @Order(1)
  void theScenarioRunsAcrossTheProcesses() {
    String out = output.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Demo complete"), out);
    assertTrue(((Json.JObject) running.result()).number("rows") > 10, out);
    assertTrue(((Json.JObject) running.audit()).bool("ok"), out);
    assertEquals("DENIED", ((Json.JObject) running.denied()).string("state"));
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      String log = read(dir.resolve("demo/logs/" + h.org().value() + ".log"));
      assertTrue(log.contains("released the key of " + h.org().value() + "/claims@1 in " + running.statisticsJob() + " (asked by tee-worker)"), log);
    }
    // Each start was timed up to its ready line (bench processes reports these).
    for (String name : List.of("coordinator", "worker", "hospital-a", "hospital-b", "hospital-c", "insurer-x")) {
      assertTrue(running.supervisor().startupTime(name).filter(d -> !d.isNegative() && !d.isZero()).isPresent(), name + " has no start-up time");
    }
    assertTrue(running.supervisor().startupTime("no-such-process").isEmpty());
  }

  @Test
  @Order(2)
  void theCoordinatorsHeapAndFolderHoldNoSecret() throws Exception {
    Map<String, byte[]> secrets = secrets();
    long pid = running.child("coordinator").process().pid();
    Path dump = dir.resolve("coordinator.hprof");
    Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(pid), "GC.heap_dump", "-all",
        dump.toString()).redirectErrorStream(true).start();
    String said = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(jcmd.waitFor(120, TimeUnit.SECONDS) && jcmd.exitValue() == 0 && Files.size(dump) > 1_000_000, "jcmd: " + said);
    byte[] heap = Files.readAllBytes(dump);
    // The scan must be able to fail: the operator's own signing key is in its heap, and is found.
    assertTrue(contains(heap, operatorSeed()), "the scan finds a key that is there (the operator's own)");
    for (var s : secrets.entrySet()) {
      if (contains(heap, s.getValue())) fail("the coordinator's heap holds " + s.getKey());
    }
    try (Stream<Path> files = Files.walk(dir.resolve("demo/coordinator"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(f);
        for (var s : secrets.entrySet()) {
          if (contains(content, s.getValue())) fail("the coordinator's file " + f + " holds " + s.getKey());
        }
      }
    }
  }

  @Test
  @Order(2)
  void noProcessLogsAKeyOrAPatient() throws IOException {
    Map<String, byte[]> secrets = secrets();
    try (Stream<Path> logs = Files.list(dir.resolve("demo/logs"))) {
      for (Path log : logs.toList()) {
        byte[] content = Files.readAllBytes(log);
        for (var s : secrets.entrySet()) {
          if (contains(content, s.getValue())) fail("the log " + log.getFileName() + " holds " + s.getKey());
        }
      }
    }
  }

  @Test
  @Order(3)
  void aNodeThatIsDownFailsTheJobNamingItAndARetryWorks() {
    downThenRetried(OrgId.of("hospital-b"), "tee", "hospital-b");
  }


  @Test
  @Order(1)
  void theSameQueryRunsOnTheHospitalsNodesInAThreePartyComputation() {
    String out = output.toString(StandardCharsets.UTF_8);
    String job = running.mpcJob().orElseThrow();
    assertTrue(out.contains("The same query on the multi-party engine") && out.contains("groups in both"), out);
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    Json.JObject trail = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "trail", "job", job));
    String table = trail.string("table");
    for (var h : HospitalInsurerDemo.HOSPITALS) {
      assertTrue(table.contains("INPUT_SHARED") && table.contains(h.org().value() + "/claims@1 secret-shared by its owner's node: " + h.rows() + " rows"), table);
      String log = read(dir.resolve("demo/logs/" + h.org().value() + ".log"));
      assertTrue(log.contains("party job run for covenant-operator: done"), log);
      assertFalse(log.contains("released the key of " + h.org().value() + "/claims@1 in " + job), "no key leaves a node in an mpc job:\n" + log);
    }
    assertFalse(table.contains("KEY_RELEASED"), table);
    // The released groups and their statistics exist in the clear only at the insurer's node: the coordinator stored
    // three ciphertexts, and no file of its folder or log names a group the result holds.
    Json.JObject result = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "result", "job", job));
    assertTrue(result.number("rows") > 10, result.encode());
    String chapter = "IV Endocrine";
    assertTrue(result.string("table").contains(chapter), result.string("table"));
    try (Stream<Path> files = Files.walk(dir.resolve("demo/coordinator"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(contains(readBytes(f), chapter.getBytes(StandardCharsets.UTF_8)), f + " holds a group of the result in the clear");
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertFalse(read(dir.resolve("demo/logs/coordinator.log")).contains(chapter));
  }

  @Test
  @Order(2)
  void theRiskModelTrainsOnTheNodesAsWellAsPooledTraining() {
    // The insurer's claim labels and hospital-a's features, matched by PSI between their nodes, trained in MPC with
    // hospital-b's node as the helper ('./covenant demo risk', smaller). First the insurer alone learns which of its
    // policyholders are hospital-a's patients.
    ProcessDemo.RiskOutcome risk = new ProcessDemo(new PrintStream(OutputStream.nullOutputStream())).riskModel(running.nodeDirs(), dir.resolve("risk-data"), 6000, 7);
    assertEquals("COMMITTED", risk.intersection().string("state"), risk.intersection().encode());
    assertEquals(risk.trulyShared(), risk.matchedIds().size(), "the intersection the insurer opened has as many ids as the scenario shares");
    Path hospitalNode = running.nodeDirs().get(OrgId.of("hospital-a"));
    assertFalse(Files.exists(hospitalNode.resolve("orgs/hospital-a/intersections")), "hospital-a learned none of the matches");
    String psiTrail = ((Json.JObject) NodeDesk.ask(running.nodeDirs().get(HospitalInsurerDemo.INSURER),
        Json.obj("op", "trail", "job", risk.intersection().string("job")))).string("table");
    assertTrue(psiTrail.contains("INPUT_SHARED") && psiTrail.contains("RESULT_COMMITTED"), psiTrail);
    assertFalse(psiTrail.contains("matched id"), "no policy lets the count go on the ledger: " + psiTrail);
    byte[] matchedId = risk.matchedIds().getFirst().getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir.resolve("demo/coordinator"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) assertFalse(contains(readBytes(f), matchedId), f + " holds a matched id in the clear");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertEquals("COMMITTED", risk.job().string("state"), risk.job().encode());
    assertTrue(Math.abs(risk.secureAccuracy() - risk.pooledAccuracy()) <= 0.01, risk.secureAccuracy() + " vs pooled " + risk.pooledAccuracy());
    assertTrue(risk.pooledAccuracy() > 0.7, "the scenario's model should be worth learning: " + risk.pooledAccuracy());
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    String trail = ((Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "trail", "job", risk.job().string("job")))).string("table");
    assertTrue(trail.contains("hospital-a/patients@") && trail.contains("insurer-x/policyholders@") && trail.contains("[hospital-a, insurer-x, hospital-b]"), trail);
    // The helper took part without data of its own: nothing of it is recorded as an input.
    assertFalse(trail.contains("INPUT_SHARED         hospital-b"), trail);
    String helperLog = read(dir.resolve("demo/logs/hospital-b.log"));
    assertTrue(helperLog.contains("party job run for covenant-operator: done"), helperLog);
  }

  @Test
  @Order(3)
  void aPartyNodeThatIsDownFailsTheMultiPartyJobNamingItAndARetryWorks() {
    downThenRetried(OrgId.of("hospital-c"), "mpc", "hospital-c's node");
  }

  /**
   * With {@code node} stopped, the statistics job on {@code engine} fails naming {@code named} as unreachable; once
   * the node is back, the same job commits.
   */
  private void downThenRetried(OrgId node, String engine, String named) {
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    Json.JObject job = Json.obj("op", "submit", "datasets", running.versions(), "engine", engine, "purpose", "risk-model",
        "sql", HospitalInsurerDemo.STATISTICS_SQL);
    running.stopNode(node);
    Json.JObject failed = (Json.JObject) NodeDesk.ask(insurer, job);
    assertEquals("FAILED", failed.string("state"), failed.encode());
    assertTrue(failed.encode().contains(named) && failed.encode().contains("could not be reached"), failed.encode());
    running.startNode(node);
    Json.JObject retried = (Json.JObject) NodeDesk.ask(insurer, job);
    assertEquals("COMMITTED", retried.string("state"), retried.encode());
  }


  @Test
  @Order(3)
  void aWorkerThatIsDownFailsTheJobBeforeItStartsAndARetryWorks() {
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    running.stopWorker();
    Json.JObject failed = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", running.versions(), "engine", "tee",
        "purpose", "risk-model", "sql", HospitalInsurerDemo.STATISTICS_SQL));
    assertEquals("FAILED", failed.string("state"), failed.encode());
    assertTrue(failed.encode().contains("TEE worker") && failed.encode().contains("could not be reached"), failed.encode());
    running.startWorker();
    Json.JObject retried = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", running.versions(), "engine", "tee",
        "purpose", "risk-model", "sql", HospitalInsurerDemo.STATISTICS_SQL));
    assertEquals("COMMITTED", retried.string("state"), retried.encode());
  }

  @Test
  @Order(4)
  void anAdministratorActsThroughItsNodesDeskFromTheCli() throws Exception {
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    Path jobFile = dir.resolve("job.json");
    Files.writeString(jobFile, Json.obj("consumer", HospitalInsurerDemo.INSURER.value(), "purpose", "risk-model", "engine", "tee",
        "datasets", HospitalInsurerDemo.HOSPITALS.stream().map(h -> h.org().value() + "/claims").toList(),
        "sql", HospitalInsurerDemo.STATISTICS_SQL).encode());
    PrintStream console = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    int submitted;
    int audited;
    try {
      submitted = io.covenant.coordinator.cli.CovenantCli.execute("desk", "submit", jobFile.toString(), "--node", insurer.toString());
      Path mpcFile = dir.resolve("mpc-job.json");
      Files.writeString(mpcFile, Files.readString(jobFile).replace("\"engine\":\"tee\"", "\"engine\":\"mpc\""));
      assertTrue(Files.readString(mpcFile).contains("\"engine\":\"mpc\""), Files.readString(mpcFile));
      submitted += io.covenant.coordinator.cli.CovenantCli.execute("desk", "submit", mpcFile.toString(), "--node", insurer.toString());
      // The risk model as a job file (the datasets the risk test published): a vertical model on the mpc engine.
      Path modelFile = dir.resolve("model-job.json");
      Files.writeString(modelFile, Json.obj("consumer", HospitalInsurerDemo.INSURER.value(), "purpose", "risk-model", "engine", "mpc",
          "datasets", List.of("hospital-a/patients", "insurer-x/policyholders"),
          "model", Json.obj("idColumn", "patient_id", "features", io.covenant.coordinator.demo.RiskScenario.FEATURES, "label", "claimed",
              "helper", "hospital-b")).encode());
      submitted += io.covenant.coordinator.cli.CovenantCli.execute("desk", "submit", modelFile.toString(), "--node", insurer.toString());
      audited = io.covenant.coordinator.cli.CovenantCli.execute("desk", "audit", "--node", insurer.toString());
    } finally {
      System.setOut(console);
    }
    String printed = buf.toString(StandardCharsets.UTF_8);
    assertEquals(0, submitted, printed);
    assertEquals(0, audited, printed);
    assertTrue(printed.contains("COMMITTED") && printed.contains("verified") && printed.contains("FAILED"), printed);
    // A folder where no node runs is named, with what to do.
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.covenant.core.error.CovenantException.class,
        () -> NodeDesk.ask(dir.resolve("no-node-here"), Json.obj("op", "audit")));
    assertTrue(e.getMessage().contains("no node answers") && e.getMessage().contains("./covenant node"), e.getMessage());
  }

  /**
   * A worker killed (SIGKILL) in the middle of a job, after two hospitals released their keys to it and while it waits
   * for the third (whose node is paused, so the moment is not a race): the job ends as JOB_FAILED naming the worker, and
   * a retry on a restarted worker commits. The restarted worker runs with a temporary directory of its own; after the
   * retry, its log, that directory and its folder hold no data key and no patient id.
   */
  @Test
  @Order(5)
  void aWorkerKilledMidJobFailsTheJobAndARetryCommitsLeavingNoPlaintextBehind() throws Exception {
    Path insurer = running.nodeDirs().get(HospitalInsurerDemo.INSURER);
    OrgId last = HospitalInsurerDemo.HOSPITALS.getLast().org();
    OrgId second = HospitalInsurerDemo.HOSPITALS.get(1).org();
    Path secondLog = dir.resolve("demo/logs/" + second.value() + ".log");
    long releasedBefore = read(secondLog).lines().filter(l -> l.contains("released the key of")).count();
    long paused = running.child(last.value()).process().pid();
    signal("STOP", paused);
    java.util.concurrent.CompletableFuture<Json> submitted;
    try {
      submitted = java.util.concurrent.CompletableFuture.supplyAsync(() -> NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets",
          running.versions(), "engine", "tee", "purpose", "risk-model", "sql", HospitalInsurerDemo.STATISTICS_SQL)));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (read(secondLog).lines().filter(l -> l.contains("released the key of")).count() == releasedBefore) {
        if (System.nanoTime() > deadline) fail("the worker never got " + second + "'s key: " + read(secondLog));
        Thread.sleep(20);
      }
      running.child("worker").process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    } finally {
      signal("CONT", paused);
    }
    Json.JObject failed = (Json.JObject) submitted.get(120, TimeUnit.SECONDS);
    assertEquals("FAILED", failed.string("state"), failed.encode());
    assertTrue(failed.encode().contains("TEE worker") && failed.encode().contains("could not be reached"), failed.encode());
    Json.JObject trail = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "trail", "job", failed.string("job")));
    assertTrue(trail.string("table").contains("JOB_FAILED") && trail.string("table").contains("KEY_RELEASED"), trail.string("table"));
    assertFalse(trail.string("table").contains("RESULT_COMMITTED"), trail.string("table"));

    running.stopWorker(); // forget the killed child
    Path workerTemp = Files.createDirectories(dir.resolve("worker-tmp"));
    running.supervisor().start("worker", List.of("env", "JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=" + workerTemp), running.workerArgs(),
        io.covenant.coordinator.deployment.DeploymentRunner.WORKER_READY, java.time.Duration.ofSeconds(120));
    Json.JObject retried = (Json.JObject) NodeDesk.ask(insurer, Json.obj("op", "submit", "datasets", running.versions(), "engine", "tee",
        "purpose", "risk-model", "sql", HospitalInsurerDemo.STATISTICS_SQL));
    assertEquals("COMMITTED", retried.string("state"), retried.encode());

    // The scan can fail: the worker used this temporary directory (DuckDB unpacked its library there).
    List<Path> scanned = new java.util.ArrayList<>();
    Map<String, byte[]> secrets = secrets();
    byte[] duckdbLibrary = duckdbLibrary();
    boolean sawLibrary = false;
    for (Path root : List.of(workerTemp, dir.resolve("demo/worker"), dir.resolve("demo/logs/worker.log"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          byte[] content = Files.readAllBytes(f);
          if (java.util.Arrays.equals(content, duckdbLibrary)) {
            sawLibrary = true; // byte for byte the library shipped in the jar: it holds no data
            continue;
          }
          scanned.add(f);
          String text = new String(content, StandardCharsets.ISO_8859_1);
          for (var s : secrets.entrySet()) {
            if (text.contains(new String(s.getValue(), StandardCharsets.ISO_8859_1))) fail("the worker's file " + f + " holds " + s.getKey());
          }
        }
      }
    }
    assertTrue(sawLibrary, "the worker unpacked DuckDB's library into its temporary directory, so that directory is the one it used");
    assertTrue(scanned.contains(dir.resolve("demo/logs/worker.log")), "the worker's log was scanned: " + scanned);
    assertTrue(read(dir.resolve("demo/logs/worker.log")).contains(retried.string("job")), "the log scanned is the retry's worker's");
  }

  private static byte[] duckdbLibrary() throws IOException {
    try (var in = org.duckdb.DuckDBConnection.class.getResourceAsStream("/libduckdb_java.so_linux_amd64")) {
      if (in == null) fail("this test expects DuckDB's linux_amd64 library in the jar");
      return in.readAllBytes();
    }
  }

  /** Sends {@code signal} to a child process this test's supervisor started (STOP pauses it, CONT resumes it). */
  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true).start();
    assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
  }

  /** Every organisation's KEK, private keys and data keys (raw bytes and hex), and patient ids from each hospital's data. */
  private Map<String, byte[]> secrets() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (var e : running.nodeDirs().entrySet()) {
      OrgId org = e.getKey();
      OrgKeystore ks = OrgKeystore.open(e.getValue().resolve("orgs").resolve(org.value()), org);
      addBoth(out, org + "'s KEK", ks.kek().exportForKeystore());
      addBoth(out, org + "'s signing key", ks.credentials().signingKey().seedForKeystore());
      addBoth(out, org + "'s encryption key", ks.credentials().encryptionKeys().privateForKeystore());
      for (int v = 1; v <= 3; v++) {
        DatasetVersion version = DatasetVersion.parse(org.value() + "/claims@" + v);
        ks.wrappedKey(version).ifPresent(w -> addBoth(out, "the data key of " + version, ks.kek().unwrap(w, version.toString()).exportForWrapping()));
      }
    }
    assertTrue(out.keySet().stream().anyMatch(k -> k.startsWith("the data key")), "the hospitals' data keys are among the secrets looked for");
    try (RootAllocator allocator = new RootAllocator()) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        try (var batches = SyntheticClaims.generate(allocator, h.seed(), h.rows(), h.costLevel(), 4096)) {
          var root = batches.next();
          VarCharVector ids = (VarCharVector) root.getVector("patient_id");
          for (int i = 0; i < 50; i++) out.put("patient id " + new String(ids.get(i), StandardCharsets.US_ASCII) + " of " + h.org(), ids.get(i));
        }
      }
    }
    return out;
  }

  private byte[] operatorSeed() {
    Path dirOf = dir.resolve("demo/coordinator/orgs/covenant-operator");
    return OrgKeystore.open(dirOf, OrgId.of("covenant-operator")).credentials().signingKey().seedForKeystore();
  }

  private static void addBoth(Map<String, byte[]> out, String name, byte[] raw) {
    out.put(name, raw);
    out.put(name + " (hex)", HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (haystack[i] != needle[0]) continue;
      for (int j = 1; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }

  private static byte[] readBytes(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (IOException e) {
      return new byte[0]; // a file the coordinator removed meanwhile (an H2 temp file) holds nothing now
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "(cannot read " + f + ")";
    }
  }
}
