package io.covenant.coordinator.http;

import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.core.codec.Json;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.LedgerEntry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.List;

/**
 * The coordinator's HTTP API. Bodies are Covenant's canonical JSON (the same bytes that are hashed and signed), so a
 * client can check signatures on what it receives. Nothing here returns a data value or a key: datasets are listed by
 * schema and address, results are served sealed, and the ledger is served as signed entries and proofs.
 */
@Controller("/api")
public final class CoordinatorApi {
  private final LocalDeployment deployment;

  public CoordinatorApi(LocalDeployment deployment) {
    this.deployment = deployment;
  }

  @Get(value = "/health", produces = MediaType.APPLICATION_JSON)
  public String health() {
    return Json.obj("status", "ok", "ledgerSize", deployment.ledger().size()).encode();
  }

  @Get(value = "/datasets", produces = MediaType.APPLICATION_JSON)
  public String datasets() {
    return Json.arr(deployment.store().datasets().stream()
        .map(d -> Json.obj("dataset", d.version(), "manifest", d.manifest(), "rows", d.rows(), "shards", d.shards(),
            "schema", d.schema().toJson(), "publishedAt", d.publishedAt()))
        .toList()).encode();
  }

  /** Submits a job: {"request": JobRequest, "submission": the consumer's signed JOB_SUBMITTED}. Runs it to its end. */
  @Post(value = "/jobs", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> submit(@Body String body) {
    Json.JObject o = Json.parseObject(body);
    JobRequest request = JobRequest.fromJson(o.object("request"));
    SignedEvent submission = SignedEvent.fromJson(o.object("submission"));
    JobOutcome out = deployment.coordinator().submit(request, submission);
    return HttpResponse.status(HttpStatus.CREATED).body(outcome(out).encode());
  }

  /**
   * An owner's decision on a job that awaits approval: the body is the APPROVAL_GIVEN event signed by the dataset's
   * owner ({@code SignedEvent} JSON). The coordinator checks the signature and ownership; it cannot approve for anyone.
   */
  @Post(value = "/jobs/{id}/approvals", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> approve(@PathVariable String id, @Body String body) {
    SignedEvent approval = SignedEvent.fromJson(Json.parseObject(body));
    if (approval.event().job().map(j -> !j.value().equals(id)).orElse(true)) {
      throw new MalformedInputException("the approval is for another job than " + id);
    }
    return HttpResponse.ok(outcome(deployment.coordinator().approve(approval)).encode());
  }

  @Get(value = "/jobs/{id}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> job(@PathVariable String id) {
    return deployment.coordinator().job(new JobId(id))
        .<HttpResponse<String>>map(r -> HttpResponse.ok(record(r).encode()))
        .orElseGet(() -> notFound("job " + id + " is not known to this coordinator"));
  }

  /** The result sealed to the consumer (HPKE); only the consumer's key opens it. */
  @Get(value = "/jobs/{id}/result", produces = MediaType.APPLICATION_OCTET_STREAM)
  public byte[] result(@PathVariable String id) {
    return deployment.coordinator().sealedResult(new JobId(id));
  }

  @Get(value = "/jobs/{id}/trail", produces = MediaType.APPLICATION_JSON)
  public String trail(@PathVariable String id) {
    return entries(deployment.ledger().entriesForJob(new JobId(id))).encode();
  }

  @Get(value = "/ledger/checkpoint", produces = MediaType.APPLICATION_JSON)
  public String checkpoint() {
    return deployment.ledger().checkpoint().toJson().encode();
  }

  @Get(value = "/ledger/entries", produces = MediaType.APPLICATION_JSON)
  public String ledgerEntries(@QueryValue(defaultValue = "0") long from, @QueryValue(defaultValue = "-1") long to) {
    long size = deployment.ledger().size();
    long end = to < 0 ? size : Math.min(to, size);
    if (from < 0 || from > end) throw new MalformedInputException("entries range [" + from + ", " + to + ") is outside the ledger of size " + size);
    return entries(deployment.ledger().entries(from, Math.min(end, from + 10_000))).encode();
  }

  @Get(value = "/ledger/proof/inclusion", produces = MediaType.APPLICATION_JSON)
  public String inclusion(@QueryValue long index, @QueryValue long size) {
    var p = deployment.ledger().proveInclusion(index, size);
    return Json.obj("index", p.index(), "treeSize", p.treeSize(), "path", p.path().stream().map(d -> d.hex()).toList()).encode();
  }

  @Get(value = "/ledger/proof/consistency", produces = MediaType.APPLICATION_JSON)
  public String consistency(@QueryValue long from, @QueryValue long to) {
    var p = deployment.ledger().proveConsistency(from, to);
    return Json.obj("oldSize", p.oldSize(), "newSize", p.newSize(), "path", p.path().stream().map(d -> d.hex()).toList()).encode();
  }

  @Error(exception = MalformedInputException.class)
  public HttpResponse<String> malformed(MalformedInputException e) {
    return HttpResponse.<String>status(HttpStatus.BAD_REQUEST).body(error(e.getMessage())).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Error(exception = IntegrityException.class)
  public HttpResponse<String> integrity(IntegrityException e) {
    return HttpResponse.<String>status(HttpStatus.UNPROCESSABLE_ENTITY).body(error(e.getMessage())).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  @Error(exception = CovenantException.class)
  public HttpResponse<String> refused(CovenantException e) {
    return HttpResponse.<String>status(HttpStatus.CONFLICT).body(error(e.getMessage())).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static HttpResponse<String> notFound(String message) {
    return HttpResponse.<String>status(HttpStatus.NOT_FOUND).body(error(message)).contentType(MediaType.APPLICATION_JSON_TYPE);
  }

  private static String error(String message) {
    return Json.obj("error", message).encode();
  }

  private static Json.JArray entries(List<LedgerEntry> entries) {
    return Json.arr(entries.stream().map(LedgerEntry::toJson).toList());
  }

  private static Json.JObject outcome(JobOutcome o) {
    return Json.obj("job", o.job(), "state", o.state().name(), "reasons", o.reasons(), "resultHash", o.resultHash().map(Object::toString).orElse(null));
  }

  private static Json.JObject record(JobRecord r) {
    return Json.obj(
        "job", r.request().id(), "consumer", r.request().consumer(), "state", r.state().name(), "reasons", r.reasons(),
        "datasets", r.request().datasets().stream().map(Object::toString).toList(), "engine", r.request().engine().wireName(),
        "purpose", r.request().purpose(), "computationHash", r.request().computation().hash().hex(),
        "resultHash", r.resultHash().map(Object::toString).orElse(null),
        "submittedAt", r.submittedAt(), "updatedAt", r.updatedAt());
  }
}
