package io.covenant.coordinator.client;

import io.covenant.coordinator.job.CommittedResult;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.job.JobRequest;
import io.covenant.core.cid.Cid;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.schema.DatasetSchema;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.blockstore.HttpBlockstore;
import io.covenant.ledger.LedgerEntry;
import io.covenant.tee.compute.ResultTable;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A client of the coordinator's HTTP API (java.net.http only). Whatever needs an organisation's signature is signed
 * here, on the caller's side, with credentials the caller loaded from its own keystore: the server receives signed
 * events and never a key. Errors come back as {@link ApiException} carrying the server's message.
 */
public final class CoordinatorClient {
  private final URI api;
  private final HttpClient http;

  private CoordinatorClient(URI api, HttpClient http) {
    this.api = api;
    this.http = http;
  }

  /** A client of the API at {@code server} (for instance {@code http://127.0.0.1:8480}; a trailing {@code /api} is optional). */
  public static CoordinatorClient of(String server) {
    String s = server.strip().replaceAll("/+$", "");
    if (!s.startsWith("http://") && !s.startsWith("https://")) {
      throw new MalformedInputException("server '" + server + "' is not an http:// or https:// URL; for example http://127.0.0.1:8480");
    }
    URI base;
    try {
      base = URI.create(s.endsWith("/api") ? s : s + "/api");
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("server '" + server + "' is not a URL: " + e.getMessage());
    }
    return new CoordinatorClient(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
  }

  /**
   * A client of the API at {@code api} (its root, for instance {@code https://coordinator:8480/api}) over {@code http}:
   * for mutual TLS, a client built with the organisation's context, e.g.
   * {@code HttpClient.newBuilder().sslContext(tls.context()).sslParameters(tls.parameters(false)).build()}.
   */
  public static CoordinatorClient of(URI api, HttpClient http) {
    if (api == null || http == null || api.getScheme() == null || !(api.getScheme().equals("http") || api.getScheme().equals("https"))) {
      throw new MalformedInputException("a coordinator client needs the API's http(s) URL, for instance https://coordinator:8480/api, and an HTTP client; got " + api);
    }
    String s = api.toString().replaceAll("/+$", "");
    return new CoordinatorClient(URI.create(s.endsWith("/api") ? s : s + "/api"), http);
  }

  public URI api() {
    return api;
  }

  /** Jobs, oldest first: one page of at most {@code limit} after {@code after} (empty for the first page). */
  public Page<JobView> jobs(int limit, Optional<String> after) {
    return page("/jobs", limit, after, JobView::fromJson);
  }

  public Page<DatasetView> datasets(int limit, Optional<String> after) {
    return page("/datasets", limit, after, DatasetView::fromJson);
  }

  public Page<PolicyView> policies(int limit, Optional<String> after) {
    return page("/policies", limit, after, PolicyView::fromJson);
  }

  /** Every item of a list route, page after page. */
  public static <T> List<T> all(java.util.function.BiFunction<Integer, Optional<String>, Page<T>> list) {
    List<T> out = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<T> p = list.apply(200, after);
      out.addAll(p.items());
      after = p.next();
    } while (after.isPresent());
    return out;
  }

  public JobView job(JobId id) {
    return JobView.fromJson(Json.parseObject(text(send(get("/jobs/" + id), 200))));
  }

  /** The job's ledger entries, as the server holds them. */
  public List<LedgerEntry> trail(JobId id) {
    Json j = Json.parse(text(send(get("/jobs/" + id + "/trail"), 200)));
    if (!(j instanceof Json.JArray a)) throw new MalformedInputException("the trail of " + id + " is not a JSON array");
    List<LedgerEntry> out = new ArrayList<>();
    for (Json e : a.items()) out.add(LedgerEntry.fromJson((Json.JObject) e));
    return out;
  }

  /** Signs {@code request} with the consumer's own credentials and submits it; the job runs as far as it goes. */
  public JobOutcomeView submit(JobRequest request, OrgCredentials consumer) {
    return submit(SignedSubmission.sign(request, consumer, Instant.now()));
  }

  /** Submits an already signed job (for instance one './covenant sign job' printed). */
  public JobOutcomeView submit(SignedSubmission signed) {
    return JobOutcomeView.fromJson(Json.parseObject(text(send(postJson("/jobs", signed.toJson().encode()), 201))));
  }

  /** Signs an owner's decision on a job that awaits its approval and sends it. */
  public JobOutcomeView decide(JobId job, io.covenant.core.id.DatasetId dataset, boolean approve, String note, OrgCredentials owner) {
    SignedEvent e = SignedEvent.sign(new AuditEvent.ApprovalGiven(job, dataset, approve, note), owner.org(), owner.signingKey(), Instant.now());
    return approve(job, e);
  }

  /** Sends an approval (APPROVAL_GIVEN) its owner already signed, for a job that awaits it. */
  public JobOutcomeView approve(JobId job, SignedEvent approval) {
    return JobOutcomeView.fromJson(Json.parseObject(text(send(postJson("/jobs/" + job + "/approvals", approval.toJson().encode()), 200))));
  }

  /**
   * Fetches the job's sealed result, checks its SHA-256 against the RESULT_COMMITTED entry of the job's trail, and
   * opens it with the consumer's own key. The trail comes from the same server: this catches a result swapped after
   * it was committed; an auditor who distrusts the server's ledger view checks it with './covenant verify'.
   */
  public ResultTable result(JobId job, OrgCredentials consumer) {
    return CommittedResult.open(job, send(get("/jobs/" + job + "/result"), 200), trail(job), consumer.encryptionKeys());
  }

  /**
   * The job's stored result bytes as the coordinator serves them, unopened: for an he job, ciphertexts under the
   * consumer's job key, which only the consumer's node can open (it checks them against the ledger first).
   */
  public byte[] storedResult(JobId job) {
    return send(get("/jobs/" + job + "/result"), 200);
  }

  /** A training job's model, checked against the ledger's RESULT_COMMITTED (sealed bytes and model hash) and opened. */
  public io.covenant.tee.training.TrainedModel model(JobId job, OrgCredentials consumer) {
    return CommittedResult.openModel(job, send(get("/jobs/" + job + "/result"), 200), trail(job), consumer.encryptionKeys());
  }

  /**
   * Appends an event the caller signed (its own KEY_RELEASED, DATASET_PUBLISHED, POLICY_PUBLISHED, POLICY_REVOKED...) to
   * the coordinator's ledger; the entry it became. A refusal by the ledger is an {@link ApiException} with status 422.
   */
  public LedgerEntry appendEvent(SignedEvent event) {
    return LedgerEntry.fromJson(Json.parseObject(text(send(postJson("/ledger/events", event.toJson().encode()), 201))));
  }

  /** The latest checkpoint the consortium's witnesses cosigned, as the coordinator serves it; empty before the first round. */
  public java.util.Optional<io.covenant.ledger.CosignedCheckpoint> witnessedCheckpoint() {
    Json.JObject o = Json.parseObject(text(send(get("/ledger/checkpoint"), 200)));
    Json w = o.members().get("witnessed");
    return w instanceof Json.JObject wo ? java.util.Optional.of(io.covenant.ledger.CosignedCheckpoint.fromJson(wo)) : java.util.Optional.empty();
  }

  /** The coordinator's block store ({@code PUT /api/blocks}, {@code GET /api/blocks/{cid}}), every block checked against its CID. */
  public Blockstore blocks() {
    return new HttpBlockstore(http, api);
  }

  /**
   * Registers a published dataset version in the coordinator's catalogue: accepted only if the ledger holds the owner's
   * DATASET_PUBLISHED with exactly these fields and the schema's hash. Registering the same again changes nothing.
   */
  public DatasetView registerDataset(DatasetVersion version, Cid manifest, long rows, int shards, DatasetSchema schema) {
    String body = Json.obj("version", version.toString(), "manifestCid", manifest.toString(), "rows", rows, "shards", shards, "schema", schema.toJson()).encode();
    return DatasetView.fromJson(Json.parseObject(text(send(postJson("/datasets", body), 201, 200))));
  }

  /** Puts a policy in force in the catalogue: only the policy whose hash the owner last published on the ledger. */
  public PolicyView putPolicy(String policyJson) {
    return PolicyView.fromJson(Json.parseObject(text(send(postJson("/policies", policyJson), 201, 200))));
  }

  /** Marks the dataset's current policy revoked in the catalogue, once the owner's POLICY_REVOKED is on the ledger. */
  public PolicyView revokePolicy(DatasetId dataset) {
    return PolicyView.fromJson(Json.parseObject(text(send(postJson("/policies/revocations", Json.obj("dataset", dataset.toString()).encode()), 200))));
  }

  private <T> Page<T> page(String path, int limit, Optional<String> after, Function<Json.JObject, T> item) {
    String q = "?limit=" + limit + after.map(a -> "&after=" + URLEncoder.encode(a, StandardCharsets.UTF_8)).orElse("");
    Json.JObject o = Json.parseObject(text(send(get(path + q), 200)));
    List<T> items = o.objects("items").stream().map(item).toList();
    return new Page<>(items, o.has("next") ? Optional.of(o.string("next")) : Optional.empty());
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofMinutes(5)).GET().build();
  }

  private HttpRequest postJson(String path, String body) {
    return HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofMinutes(10))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  /** Sends; any status but those {@code expected} becomes an ApiException with the server's own message. */
  private byte[] send(HttpRequest request, int... expected) {
    HttpResponse<byte[]> r;
    try {
      r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new CovenantException("cannot reach the coordinator at " + api + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); is './covenant serve' running there?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CovenantException("interrupted while waiting for the coordinator at " + api, e);
    }
    for (int status : expected) if (r.statusCode() == status) return r.body();
    String body = new String(r.body(), StandardCharsets.UTF_8);
    String message;
    try {
      message = Json.parseObject(body).string("error");
    } catch (MalformedInputException e) {
      message = "HTTP " + r.statusCode() + " from " + request.uri() + " without an error message";
    }
    throw new ApiException(r.statusCode(), message);
  }

  private static String text(byte[] body) {
    return new String(body, StandardCharsets.UTF_8);
  }
}
