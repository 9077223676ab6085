package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.client.ApiException;
import io.covenant.coordinator.client.CoordinatorClient;
import io.covenant.coordinator.client.JobOutcomeView;
import io.covenant.coordinator.client.LocalKeys;
import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client and the CLI's --server mode against a real './covenant serve' (its own JVM) on a free port: the caller signs with its
 * own keystore, the server records and runs the job, the caller opens the sealed result. While the server runs, its
 * database is locked to its process, so the CLI commands here can only have worked through the API.
 */
class ClientRoundTripsAgainstARunningServe {
  @TempDir static Path dir;
  @TempDir static Path elsewhere;
  static ServeProcess serve;
  static String server;
  static final List<DatasetVersion> versions = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    try (SmallFederation f = new SmallFederation(dir, 400)) {
      versions.addAll(f.versions);
    }
    serve = new ServeProcess(dir);
    server = serve.server();
  }

  @AfterAll
  static void stop() throws Exception {
    serve.close();
    assertFalse(serve.output.toString().contains("unexpected failure"), "the server met no bug: " + serve.output);
  }

  @Test
  void serveBindsThisMachineOnlyByDefault() {
    assertTrue(server.startsWith("http://127.0.0.1:"), server);
    assertTrue(serve.output.toString().contains(server + "/api/openapi.yml"), serve.output.toString());
    assertFalse(serve.output.toString().contains("warning"), serve.output.toString());
  }

  @Test
  void theClientSignsSubmitsAndOpensTheResult() {
    CoordinatorClient client = CoordinatorClient.of(server);
    var insurer = LocalKeys.of(dir, HospitalInsurerDemo.INSURER);
    JobRequest request = new JobRequest(JobId.random(), insurer.org(), versions, Engine.TEE, new Purpose("risk-model"),
        new Computation.SqlQuery(HospitalInsurerDemo.STATISTICS_SQL));
    JobOutcomeView out = client.submit(request, insurer);
    assertEquals("COMMITTED", out.state(), out.reasons().toString());
    assertTrue(out.resultHash().isPresent());
    var view = client.job(request.id());
    assertEquals("COMMITTED", view.state());
    assertEquals(out.resultHash(), view.resultHash());
    assertTrue(client.jobs(50, Optional.empty()).items().stream().anyMatch(j -> j.job().equals(request.id())));
    assertEquals(3, client.datasets(50, Optional.empty()).items().size());
    assertEquals(3, client.policies(50, Optional.empty()).items().size());
    assertFalse(client.result(request.id(), insurer).rows().isEmpty());

    // Errors come back as the server's message.
    ApiException e = assertThrows(ApiException.class, () -> client.job(JobId.random()));
    assertEquals(404, e.status());
    assertTrue(e.getMessage().contains("not known"), e.getMessage());
    ApiException replay = assertThrows(ApiException.class, () -> client.submit(
        io.covenant.coordinator.job.SignedSubmission.sign(request, insurer, java.time.Instant.now())));
    assertEquals(409, replay.status());
  }

  @Test
  void theCliServerModeSubmitsListsShowsAndOpens() throws Exception {
    Path job = elsewhere.resolve("job.json");
    Files.writeString(job, """
        {"consumer": "insurer-x", "purpose": "risk-model", "engine": "tee",
         "datasets": ["hospital-a/claims", "hospital-b/claims", "hospital-c/claims"],
         "sql": "SELECT icd10_chapter(diagnosis) AS chapter, COUNT(*) AS claims FROM claims GROUP BY chapter"}
        """);
    CliRun submitted = CliRun.of(dir, "job", "submit", "--job", job.toString(), "--server", server);
    assertEquals(0, submitted.exit(), submitted.out() + submitted.err());
    assertTrue(submitted.out().contains("COMMITTED"), submitted.out());
    assertTrue(submitted.out().contains("claims"), "the result table is printed: " + submitted.out());
    String id = submitted.out().replaceAll("(?s).*job (job-[0-9a-f]{16}): COMMITTED.*", "$1");

    CliRun list = CliRun.of(dir, "job", "list", "--server", server);
    assertEquals(0, list.exit(), list.err());
    assertTrue(list.out().contains(id), list.out());
    CliRun show = CliRun.of(dir, "job", "show", id, "--server", server);
    assertEquals(0, show.exit(), show.err());
    assertTrue(show.out().contains("RESULT_COMMITTED"), show.out());
    CliRun result = CliRun.of(dir, "job", "result", id, "--as", "insurer-x", "--server", server);
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("chapter"), result.out());
    CliRun datasets = CliRun.of(dir, "dataset", "list", "--server", server);
    assertTrue(datasets.out().contains("hospital-b/claims@1"), datasets.out());

    // The keys stay where they are: a data directory without the insurer's keystore cannot sign, and creates none.
    CliRun noKeys = CliRun.of(elsewhere, "job", "submit", "--job", job.toString(), "--server", server);
    assertEquals(1, noKeys.exit());
    assertTrue(noKeys.err().contains("no keystore of insurer-x"), noKeys.err());
    assertFalse(Files.exists(elsewhere.resolve("orgs").resolve("insurer-x")));
    // Without --server the same command would open the server's locked database; it says so instead of corrupting it.
  }

  @Test
  void anUnreachableServerIsNamed() {
    CliRun r = CliRun.of(dir, "job", "list", "--server", "http://127.0.0.1:1");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("cannot reach the coordinator at http://127.0.0.1:1/api"), r.err());
  }
}
