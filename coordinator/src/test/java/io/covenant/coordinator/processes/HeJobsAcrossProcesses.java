package io.covenant.coordinator.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HeDemo;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.deployment.NodeDesk;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Computation;
import io.covenant.mpc.he.EncryptedScores;
import io.covenant.mpc.he.EncryptedTotal;
import io.covenant.mpc.he.HeMessages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./covenant demo he} with every organisation in its own process, then what it must withstand: the scores and
 * totals the insurer's node decrypts equal the plaintext answers within the precision each result states; the curious
 * coordinator's folder and log hold only ciphertexts (no plaintext score, total or model weight); a result ciphertext
 * altered after it was committed is refused by its ledger hash, a hospital's node holds no key to open the total, and
 * another job's result cannot be opened under this job's key (the key check itself: mpc-node's WrongKeyCannotDecrypt); a hospital's SEAL sidecar killed mid-job fails the job (JOB_FAILED naming the sidecar) and a retry runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HeJobsAcrossProcesses {
  private Path dir;
  private HeDemo.Outcome outcome;
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();

  @BeforeAll
  void runTheDemo(@TempDir Path tmp) {
    dir = tmp.resolve("demo");
    outcome = new HeDemo(new PrintStream(output, true, StandardCharsets.UTF_8)).run(dir);
  }

  @AfterAll
  void stop() {
    if (outcome != null) outcome.close();
  }

  private Path insurerNode() {
    return outcome.running().nodeDirs().get(HospitalInsurerDemo.INSURER);
  }

  @Test
  @Order(1)
  void scoresAndTotalsEqualPlaintextWithinTheStatedPrecision() {
    String out = output.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Demo complete"), out);
    assertTrue(outcome.audit().bool("ok"), out);
    assertEquals(HeDemo.MAX_ROWS, outcome.scores().number("rows"), "the owner's policy limits the rows scored");
    double scoreBound = outcome.scores().decimal("bound").doubleValue();
    assertTrue(outcome.scoreError() <= scoreBound, "scores are off by " + outcome.scoreError() + ", beyond the stated " + scoreBound);
    assertTrue(outcome.scores().decimal("maxError").doubleValue() <= scoreBound);
    double totalBound = outcome.total().decimal("bound").doubleValue();
    assertTrue(outcome.totalError() <= totalBound, "totals are off by " + outcome.totalError() + ", beyond the stated " + totalBound);
    assertTrue(out.contains("precision: max error"), out);
    assertTrue(out.contains("CIPHERTEXT_RECORDED"), out);
  }

  @Test
  @Order(2)
  void theCuriousCoordinatorHoldsOnlyCiphertexts() throws IOException {
    List<byte[]> secrets = new ArrayList<>();
    // The plaintext scores, totals and model weights, as 8-byte doubles in either byte order and totals as text.
    for (double v : HeDemoPlaintext.scores()) secrets.addAll(doubles(v));
    for (double[] t : HeDemoPlaintext.totals().values()) {
      secrets.addAll(doubles(t[1]));
      secrets.add(String.format(Locale.ROOT, "%.2f", t[1]).getBytes(StandardCharsets.US_ASCII));
    }
    for (double w : new double[] {HeDemo.WEIGHTS[0], HeDemo.WEIGHTS[2]}) secrets.addAll(doubles(w));
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir.resolve("coordinator"))) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    files.add(dir.resolve("logs/coordinator.log"));
    boolean scoresStored = false, totalStored = false;
    Digest scoresHash = Digest.parse(outcome.scoreJob().string("resultHash"));
    Digest totalHash = Digest.parse(outcome.aggregateJob().string("resultHash"));
    for (Path f : files) {
      byte[] content = Files.readAllBytes(f);
      for (byte[] secret : secrets) assertFalse(contains(content, secret), f + " holds a plaintext value " + HexFormat.of().formatHex(secret));
      scoresStored |= parses(() -> HeMessages.scores(content, OrgId.of("hospital-a")).digest().equals(scoresHash));
      totalStored |= parses(() -> HeMessages.total(content, OrgId.of("covenant-operator")).digest().equals(totalHash));
    }
    assertTrue(scoresStored, "the coordinator stores the encrypted scores the ledger commits");
    assertTrue(totalStored, "the coordinator stores the encrypted total the ledger commits");
  }

  @Test
  @Order(3)
  void aTamperedResultCiphertextIsRefusedByItsLedgerHash() throws IOException {
    Digest totalHash = Digest.parse(outcome.aggregateJob().string("resultHash"));
    byte[] stored = null;
    try (Stream<Path> s = Files.walk(dir.resolve("coordinator/blocks"))) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(f);
        if (parses(() -> HeMessages.total(content, OrgId.of("covenant-operator")).digest().equals(totalHash))) stored = content;
      }
    }
    assertNotNull(stored, "the encrypted total is in the coordinator's block store");
    String job = outcome.aggregateJob().string("job");
    Path file = dir.resolve("received-total.bin");
    Files.write(file, stored);
    Json.JObject opened = (Json.JObject) NodeDesk.ask(insurerNode(), Json.obj("op", "he-open", "job", job, "file", file.toString()));
    assertEquals(HeDemo.DIAGNOSES.size(), opened.number("rows"), "the untouched copy opens");

    byte[] tampered = stored.clone();
    tampered[tampered.length - 100] ^= 1; // inside the last SEAL ciphertext
    Files.write(file, tampered);
    CovenantException refused = assertThrows(CovenantException.class,
        () -> NodeDesk.ask(insurerNode(), Json.obj("op", "he-open", "job", job, "file", file.toString())));
    assertTrue(refused.getMessage().contains("was modified after it was committed; no total is released"), refused.getMessage());

    // No other node holds the job's key: the hospital whose data went in cannot open the total.
    Path hospitalNode = outcome.running().nodeDirs().get(HospitalInsurerDemo.HOSPITALS.getFirst().org());
    CovenantException notHers = assertThrows(CovenantException.class,
        () -> NodeDesk.ask(hospitalNode, Json.obj("op", "he-open", "job", job, "file", file.toString())));
    assertTrue(notHers.getMessage().contains("holds no key of job " + job), notHers.getMessage());

    // The other job's encrypted scores (another key, another hash) are not opened as this job's result.
    Path scores = dir.resolve("received-scores.bin");
    Files.write(scores, storedScores());
    CovenantException other = assertThrows(CovenantException.class,
        () -> NodeDesk.ask(insurerNode(), Json.obj("op", "he-open", "job", job, "file", scores.toString())));
    assertTrue(other.getMessage().contains("incompatible") || other.getMessage().contains("hashes to"), other.getMessage());
  }

  @Test
  @Order(4)
  void aSidecarKilledMidJobFailsTheJobAndARetryRuns() throws Exception {
    OrgId hospital = HospitalInsurerDemo.HOSPITALS.getFirst().org();
    long node = outcome.running().child(hospital.value()).process().pid();
    List<String> versions = List.of(outcome.running().versions().getFirst());
    Computation score = new Computation.HeScore(HeDemo.MODEL, HeDemo.FEATURES, Computation.HeScore.LINEAR);
    Json.JObject failed = null;
    // The kill has to land while the hospital's sidecar computes; a job that finished first is simply tried again.
    for (int attempt = 0; attempt < 4 && failed == null; attempt++) {
      ProcessHandle sidecar = sidecarOf(node).orElseThrow(() -> new AssertionError(hospital + "'s node runs no SEAL sidecar"));
      Duration before = sidecar.info().totalCpuDuration().orElse(Duration.ZERO);
      CompletableFuture<Json.JObject> job = CompletableFuture.supplyAsync(() -> (Json.JObject) NodeDesk.ask(insurerNode(), Json.obj("op", "submit",
          "datasets", versions, "engine", "he", "purpose", "risk-model", "computation", score.toJson())));
      while (!job.isDone()) {
        if (sidecar.info().totalCpuDuration().orElse(Duration.ZERO).compareTo(before) > 0) {
          sidecar.destroyForcibly();
          break;
        }
        Thread.sleep(2);
      }
      Json.JObject answer = job.get(5, TimeUnit.MINUTES);
      if ("FAILED".equals(answer.string("state"))) failed = answer;
      else assertEquals("COMMITTED", answer.string("state"), answer.encode());
    }
    assertNotNull(failed, "the sidecar was never caught computing");
    String reasons = failed.members().get("reasons").encode();
    assertTrue(reasons.contains("SEAL sidecar 'node-" + hospital.value() + "'") && reasons.contains(hospital.value() + "'s node"), reasons);
    Json.JObject trail = (Json.JObject) NodeDesk.ask(insurerNode(), Json.obj("op", "trail", "job", failed.string("job")));
    assertTrue(trail.string("table").contains("JOB_FAILED"), trail.string("table"));

    Json.JObject retry = (Json.JObject) NodeDesk.ask(insurerNode(), Json.obj("op", "submit", "datasets", versions, "engine", "he", "purpose", "risk-model",
        "computation", score.toJson()));
    assertEquals("COMMITTED", retry.string("state"), retry.encode());
    Json.JObject scores = (Json.JObject) NodeDesk.ask(insurerNode(), Json.obj("op", "result", "job", retry.string("job")));
    assertEquals(HeDemo.MAX_ROWS, scores.number("rows"));
    Json.JObject audit = (Json.JObject) NodeDesk.ask(insurerNode(), Json.obj("op", "audit"));
    assertTrue(audit.bool("ok"), audit.encode());
  }

  private byte[] storedScores() throws IOException {
    Digest hash = Digest.parse(outcome.scoreJob().string("resultHash"));
    try (Stream<Path> s = Files.walk(dir.resolve("coordinator/blocks"))) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(f);
        if (parses(() -> HeMessages.scores(content, OrgId.of("hospital-a")).digest().equals(hash))) return content;
      }
    }
    throw new AssertionError("the encrypted scores are not in the coordinator's block store");
  }

  private static Optional<ProcessHandle> sidecarOf(long nodePid) {
    return ProcessHandle.of(nodePid).flatMap(p -> p.descendants()
        .filter(d -> d.info().commandLine().map(c -> c.contains("sidecar.js")).orElse(false)).findFirst());
  }

  private static boolean parses(java.util.function.BooleanSupplier check) {
    try {
      return check.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static List<byte[]> doubles(double v) {
    return List.of(ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putDouble(v).array(),
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v).array());
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }

  /** The demo's plaintext answers (package-private there). */
  private static final class HeDemoPlaintext {
    static double[] scores() {
      return HeDemo.plaintextScoresOf(HospitalInsurerDemo.HOSPITALS.getFirst());
    }

    static Map<String, double[]> totals() {
      return HeDemo.plaintextTotalsOfHospitals();
    }
  }
}
