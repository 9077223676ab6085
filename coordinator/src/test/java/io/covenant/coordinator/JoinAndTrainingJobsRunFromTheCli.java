package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two owners, from the CLI alone: a hospital's claims and an insurer's policies share a pseudonymous member key that
 * both owners rule {@code join}. A join query over both datasets (two key releases) runs to a result whose exact
 * numbers the test computes from the CSVs; a join on a column not ruled {@code join} is denied naming the column; and a
 * gradient-boosted model trained on the join is committed with its model hash on the ledger, opened by the consumer,
 * saved to a file whose SHA-256 is that hash, and shown in the job's trail.
 */
class JoinAndTrainingJobsRunFromTheCli {
  private static final int MEMBERS = 400;
  @TempDir Path dir;
  private final TreeMap<String, long[]> countByTier = new TreeMap<>();
  private final TreeMap<String, double[]> costByTier = new TreeMap<>();

  private CliRun cli(String... args) {
    return CliRun.of(dir.resolve("data"), args);
  }

  private static String policy(String owner, String dataset, Json.JObject columns, List<String> training) {
    return Json.obj("covenantPolicy", 1, "id", dataset + "-join-and-training", "dataset", owner + "/" + dataset, "assignees", List.of("insurer-x"),
        "purposes", List.of("risk-model"), "engines", List.of("tee"),
        "tee", Json.obj("allowSimulated", true, "measurements", List.of(LocalDeployment.workerMeasurement().hex())),
        "minCohort", 10, "columns", columns, "defaultColumnRule", "never", "privacy", Json.obj("exact", true),
        "training", Json.obj("columns", training, "minRows", 100)).encode();
  }

  @BeforeEach
  void twoOwnersPublish() throws IOException {
    assertEquals(0, cli("org", "create", "hospital-a", "--role", "owner").exit());
    assertEquals(0, cli("org", "create", "insurer-x", "--role", "owner,consumer").exit());
    StringBuilder claims = new StringBuilder("member_key,age,sex,admitted,cost\n");
    StringBuilder policies = new StringBuilder("member_key,tier,premium,lapsed\n");
    Random r = new Random(42);
    for (int i = 0; i < MEMBERS; i++) {
      String key = "m" + Integer.toHexString(0x10000 + i * 7919);
      long age = 20 + r.nextInt(60);
      double cost = Math.round((200 + age * 15 + r.nextInt(500)) * 100) / 100.0;
      claims.append(key).append(',').append(age).append(',').append(r.nextBoolean() ? "F" : "M").append(',')
          .append(LocalDate.of(2026, 1 + r.nextInt(6), 1 + r.nextInt(28))).append(',').append(cost).append('\n');
      if (i % 8 == 0) continue; // one member in eight has no policy with this insurer: the join drops them
      String tier = i % 3 == 0 ? "gold" : "silver";
      long lapsed = r.nextDouble() < (age > 50 ? 0.6 : 0.2) ? 1 : 0;
      policies.append(key).append(',').append(tier).append(',').append(300 + age * 10).append(',').append(lapsed).append('\n');
      countByTier.computeIfAbsent(tier, t -> new long[1])[0]++;
      costByTier.computeIfAbsent(tier, t -> new double[1])[0] += cost;
    }
    Path claimsCsv = Files.writeString(dir.resolve("claims.csv"), claims);
    Path policiesCsv = Files.writeString(dir.resolve("policies.csv"), policies);
    CliRun a = cli("dataset", "publish", claimsCsv.toString(), "--owner", "hospital-a", "--sensitivity", "member_key=identifier",
        "--sensitivity", "age=quasi-identifier", "--sensitivity", "sex=quasi-identifier", "--sensitivity", "admitted=quasi-identifier");
    assertEquals(0, a.exit(), a.err());
    CliRun b = cli("dataset", "publish", policiesCsv.toString(), "--owner", "insurer-x", "--sensitivity", "member_key=identifier",
        "--sensitivity", "tier=public", "--type", "premium=float64");
    assertEquals(0, b.exit(), b.err());
    Path hospitalPolicy = Files.writeString(dir.resolve("hospital-policy.json"), policy("hospital-a", "claims",
        Json.obj("member_key", "join", "age", "dimension", "sex", "dimension", "admitted", "filter", "cost", "aggregate"), List.of("age", "cost")));
    Path insurerPolicy = Files.writeString(dir.resolve("insurer-policy.json"), policy("insurer-x", "policies",
        Json.obj("member_key", "join", "tier", "dimension", "premium", "aggregate", "lapsed", "aggregate"), List.of("premium", "lapsed")));
    CliRun pa = cli("policy", "publish", hospitalPolicy.toString());
    assertEquals(0, pa.exit(), pa.err());
    CliRun pb = cli("policy", "publish", insurerPolicy.toString());
    assertEquals(0, pb.exit(), pb.err());
  }

  private Path jobFile(String name, Json.JObject computation) throws IOException {
    var members = new java.util.LinkedHashMap<String, Object>(Json.obj("consumer", "insurer-x", "purpose", "risk-model", "engine", "tee",
        "datasets", List.of("hospital-a/claims", "insurer-x/policies")).members());
    members.putAll(computation.members());
    return Files.writeString(dir.resolve(name), Json.from(members).encode());
  }

  private static String jobId(CliRun run) {
    Matcher m = Pattern.compile("job (job-[0-9a-f]{16})").matcher(run.out());
    assertTrue(m.find(), run.out());
    return m.group(1);
  }

  @Test
  void aJoinOfTwoOwnersDatasetsOnTheirJoinKeyRunsAndAJoinOnAnotherColumnIsDenied() throws IOException {
    Path join = jobFile("join.json", Json.obj("sql", """
        SELECT p.tier, COUNT(*) AS members, SUM(c.cost) AS total_cost
        FROM claims c JOIN policies p ON c.member_key = p.member_key
        WHERE EXTRACT(YEAR FROM c.admitted) = 2026
        GROUP BY p.tier HAVING COUNT(*) >= 10 ORDER BY p.tier"""));
    CliRun submitted = cli("job", "submit", join.toString());
    assertEquals(0, submitted.exit(), submitted.out() + submitted.err());
    assertTrue(submitted.out().contains("COMMITTED"), submitted.out());
    for (String tier : countByTier.keySet()) {
      String line = submitted.out().lines().filter(l -> l.contains(tier)).findFirst().orElseThrow(() -> new AssertionError(submitted.out()));
      assertTrue(line.contains(" " + countByTier.get(tier)[0] + " "), tier + ": " + line);
      assertTrue(line.contains(String.format("%.2f", costByTier.get(tier)[0]).substring(0, 6)), tier + " cost " + costByTier.get(tier)[0] + ": " + line);
    }
    String id = jobId(submitted);
    try (LocalDeployment d = LocalDeployment.open(dir.resolve("data"))) {
      long released = d.ledger().entriesForJob(new JobId(id)).stream().filter(e -> e.event().event() instanceof AuditEvent.KeyReleased).count();
      assertEquals(2, released, "each owner released its own key to the enclave");
    }

    Path bad = jobFile("bad-join.json", Json.obj("sql",
        "SELECT p.tier, COUNT(*) AS members FROM claims c JOIN policies p ON c.sex = p.tier GROUP BY p.tier"));
    CliRun denied = cli("job", "submit", bad.toString());
    assertEquals(1, denied.exit());
    assertTrue(denied.out().contains("DENIED") && denied.out().contains("column sex is 'dimension' but the query joins on it"), denied.out());
    assertEquals(0, cli("verify").exit());
  }

  @Test
  void aModelTrainedOnTheJoinIsSealedToTheConsumerWithItsHashOnTheLedger() throws IOException {
    Json.JObject train = Json.obj("featureSql", """
        SELECT c.age AS age, c.cost AS cost, p.premium AS premium, p.lapsed AS lapsed
        FROM claims c JOIN policies p ON c.member_key = p.member_key""",
        "label", "lapsed", "objective", "binary:logistic", "rounds", 5, "maxDepth", 3);
    CliRun submitted = cli("job", "submit", jobFile("train.json", Json.obj("train", train)).toString());
    assertEquals(0, submitted.exit(), submitted.out() + submitted.err());
    assertTrue(submitted.out().contains("COMMITTED") && submitted.out().contains("sha256 (on the ledger)"), submitted.out());
    assertTrue(submitted.out().contains("logloss"), submitted.out());
    String id = jobId(submitted);

    Path model = dir.resolve("model.ubj");
    CliRun result = cli("job", "result", id, "--as", "insurer-x", "--out", model.toString());
    assertEquals(0, result.exit(), result.err());
    AuditEvent.ResultCommitted committed;
    try (LocalDeployment d = LocalDeployment.open(dir.resolve("data"))) {
      committed = d.ledger().entriesForJob(new JobId(id)).stream().map(e -> e.event().event())
          .filter(AuditEvent.ResultCommitted.class::isInstance).map(AuditEvent.ResultCommitted.class::cast).findFirst().orElseThrow();
    }
    Digest onLedger = committed.modelHash().orElseThrow(() -> new AssertionError("RESULT_COMMITTED names no model hash"));
    assertEquals(onLedger, Digest.sha256(Files.readAllBytes(model)), "the saved model is the one the ledger names");
    assertTrue(result.out().contains(onLedger.hex()), result.out());
    CliRun again = cli("job", "result", id, "--as", "insurer-x", "--out", model.toString());
    assertEquals(1, again.exit(), "an existing file is not overwritten");
    assertTrue(again.err().contains("there is already a file at"), again.err());
    assertEquals(1, cli("job", "result", id, "--as", "hospital-a").exit(), "the model opens only for its consumer");

    CliRun shown = cli("job", "show", id);
    assertTrue(shown.out().contains("trained model " + onLedger.shortForm()), shown.out());
    assertEquals(0, cli("verify").exit());

    // A model may not learn from a column the owner did not list in training.columns.
    Json.JObject sexToo = Json.obj("featureSql", """
        SELECT c.age AS age, CASE WHEN c.sex = 'F' THEN 1 ELSE 0 END AS female, p.lapsed AS lapsed
        FROM claims c JOIN policies p ON c.member_key = p.member_key""", "label", "lapsed", "objective", "binary:logistic");
    CliRun denied = cli("job", "submit", jobFile("train-sex.json", Json.obj("train", sexToo)).toString());
    assertEquals(1, denied.exit());
    assertTrue(denied.out().contains("column sex is 'dimension' and not listed in training.columns"), denied.out());
    assertFalse(denied.out().contains("COMMITTED"));
  }

  @Test
  void aModelTrainedThroughARunningServerOpensForItsConsumer() throws Exception {
    Json.JObject train = Json.obj("featureSql", "SELECT c.age AS age, p.premium AS premium, p.lapsed AS lapsed "
        + "FROM claims c JOIN policies p ON c.member_key = p.member_key", "label", "lapsed", "objective", "binary:logistic", "rounds", 3);
    Path job = jobFile("train-remote.json", Json.obj("train", train));
    try (ServeProcess serve = new ServeProcess(dir.resolve("data"))) {
      CliRun submitted = cli("job", "submit", job.toString(), "--server", serve.server());
      assertEquals(0, submitted.exit(), submitted.out() + submitted.err());
      assertTrue(submitted.out().contains("COMMITTED") && submitted.out().contains("sha256 (on the ledger)"), submitted.out());
      String id = jobId(submitted);
      Path model = dir.resolve("remote-model.ubj");
      CliRun result = cli("job", "result", id, "--as", "insurer-x", "--out", model.toString(), "--server", serve.server());
      assertEquals(0, result.exit(), result.out() + result.err());
      String hash = Digest.sha256(Files.readAllBytes(model)).hex();
      assertTrue(submitted.out().contains(hash), "the saved model is the one the server's ledger names: " + submitted.out());
    }
  }
}
