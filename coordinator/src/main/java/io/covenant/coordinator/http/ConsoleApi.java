package io.covenant.coordinator.http;

import io.covenant.coordinator.catalogue.PublishedPolicy;
import io.covenant.coordinator.cli.JobFile;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.job.JobRequest;
import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.policy.Policy;
import io.covenant.policy.PolicyDecision;
import io.covenant.policy.UsageHistory;
import io.covenant.policy.odrl.OdrlMapping;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The routes the web console needs beyond the API ({@code /console/}, docs/console.md), under the same authentication
 * and roles ({@link Caller}). None of them changes anything and none holds a key: the "draft" routes answer the exact
 * statement an organisation must sign (the canonical JSON of {@code {"actor","at","body","type","v"}}, as {@link
 * SignedEvent#statement} builds it), which the browser signs with the organisation's own Ed25519 key (WebCrypto) and
 * sends to the API's ordinary routes ({@code POST /api/jobs}, {@code /api/jobs/{id}/approvals}, {@code
 * /api/ledger/events}), where it is checked like any other signed body. Building the statement here keeps one
 * definition of each event's body (a policy's hash and limits, a computation's hash) instead of a second one in
 * TypeScript.
 */
@Controller("/api/console")
@ExecuteOn(TaskExecutors.BLOCKING)
public final class ConsoleApi {
  private static final String ERROR = "{\"error\": \"...\"} naming what was wrong and what to do.";

  private final LocalDeployment deployment;
  private final Callers callers;
  private final Clock clock = Clock.systemUTC();

  ConsoleApi(LocalDeployment deployment, Callers callers) {
    this.deployment = deployment;
    this.callers = callers;
  }

  @Operation(summary = "Who the console is talking for: over mutual TLS the organisation and roles of the caller's certificate; without TLS, nobody (every act is still signed by its organisation).")
  @ApiResponse(responseCode = "200", description = "The session.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleSession.class)))
  @Get(value = "/session", produces = MediaType.APPLICATION_JSON)
  public String session(HttpRequest<?> request) {
    Optional<Caller> caller = callers.of(request);
    return Json.obj("tls", callers.tls(),
        "org", caller.map(c -> c.org().value()).orElse(null),
        "roles", caller.map(c -> c.roles().stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT)).sorted().toList()).orElse(List.of()),
        "operator", caller.map(Caller::operator).orElse(false),
        "logKey", deployment.ledger().checkpoint().logKey().hex()).encode();
  }

  @Operation(summary = "The organisations registered on the ledger, with their role and public signing key (what the console checks a loaded key against).")
  @ApiResponse(responseCode = "200", description = "The organisations.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleOrganisations.class)))
  @Get(value = "/organisations", produces = MediaType.APPLICATION_JSON)
  public String organisations() {
    List<Json.JObject> out = new ArrayList<>();
    for (AuditEvent.OrgRegistered o : registrations()) {
      out.add(Json.obj("org", o.org().value(), "name", o.displayName(), "role", o.role(), "signingKey", o.signingKey().hex(),
          "encryptionKey", o.encryptionKey().hex()));
    }
    return Json.obj("items", Json.arr(out)).encode();
  }

  @Operation(summary = "Each in-force policy's uses and privacy budget spent, per assignee (the console's usage page).")
  @ApiResponse(responseCode = "200", description = "The usage.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleUsage.class)))
  @Get(value = "/usage", produces = MediaType.APPLICATION_JSON)
  public String usage() {
    List<Json.JObject> out = new ArrayList<>();
    for (PublishedPolicy p : deployment.store().policies()) {
      if (p.status() != PublishedPolicy.Status.IN_FORCE) continue;
      Policy policy = Policy.parse(p.policy().json());
      for (OrgId assignee : policy.assignees()) {
        UsageHistory used = deployment.store().usage(p.policy().hash(), assignee);
        out.add(Json.obj("policy", p.policy().policyId(), "dataset", p.policy().dataset().toString(), "consumer", assignee.value(),
            "uses", used.uses(), "maxUses", policy.maxUses().isPresent() ? policy.maxUses().getAsLong() : null,
            "epsilonSpent", used.epsilonSpent().toPlainString(),
            "epsilonTotal", policy.privacy().map(b -> b.epsilonTotal().toPlainString()).orElse(null)));
      }
    }
    return Json.obj("items", Json.arr(out)).encode();
  }

  @Operation(summary = "What each dataset's policy in force would decide for a job draft, rule by rule, without submitting it (the composer's live explain).",
      description = "The body is a job file's JSON form (docs/tutorial.md); a dataset named without a version means its latest.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ConsoleJobDraft.class)))
  @ApiResponse(responseCode = "200", description = "The decisions.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleExplanation.class)))
  @ApiResponse(responseCode = "400", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/explain", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String explain(@Body String body) {
    JobRequest request = requestOf(body);
    var decisions = deployment.coordinator().explain(request);
    List<Json.JObject> out = new ArrayList<>();
    boolean denied = decisions.size() < request.datasets().size();
    for (var e : decisions.entrySet()) {
      PolicyDecision d = e.getValue();
      out.add(Json.obj("dataset", e.getKey().toString(), "outcome", d.outcome().name(), "summary", d.summary(),
          "findings", Json.arr(d.findings().stream().map(PolicyDecision.Finding::toJson).toList())));
      denied |= d.outcome() == PolicyDecision.Outcome.DENY;
    }
    List<String> missing = request.datasets().stream().filter(v -> !decisions.containsKey(v))
        .map(v -> v + ": not published here, or no policy is in force for it").toList();
    return Json.obj("permitted", !denied, "decisions", Json.arr(out), "missing", missing).encode();
  }

  @Operation(summary = "A job draft as the request to submit and the JOB_SUBMITTED statement its consumer signs (then POST /api/jobs).")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ConsoleJobDraft.class)))
  @ApiResponse(responseCode = "200", description = "The request and the statement to sign.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleDraft.class)))
  @ApiResponse(responseCode = "400", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/drafts/job", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String jobDraft(HttpRequest<?> http, @Body String body) {
    JobRequest request = requestOf(body);
    Optional<Caller> caller = callers.of(http);
    Caller.mustBe(caller, request.consumer(), "a job submission");
    Caller.mustConsume(caller, "submit jobs");
    var event = new AuditEvent.JobSubmitted(request.id(), request.consumer(), request.datasets(), request.engine(), request.purpose(),
        request.computation().hash(deployment.suite()));
    return Json.obj("request", request.toJson(), "statement", statement(event, request.consumer())).encode();
  }

  @Operation(summary = "Validates a policy document and answers its summary, warnings, ODRL 2.2 form, and the POLICY_PUBLISHED statement its owner signs (then POST /api/ledger/events and POST /api/policies).")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.PolicyDocument.class)))
  @ApiResponse(responseCode = "200", description = "Valid: the policy's forms and the statement to sign.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsolePolicyDraft.class)))
  @ApiResponse(responseCode = "400", description = "Not a valid policy: the error names the field.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/drafts/policy", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String policyDraft(@Body String body) {
    Policy p = Policy.parse(body);
    var event = new AuditEvent.PolicyPublished(p.dataset(), p.id(), p.hash(deployment.suite()), Optional.of(p.ledgerLimits()));
    return Json.obj("policy", p.id(), "dataset", p.dataset().toString(), "owner", p.dataset().owner().value(), "hash", p.hash(deployment.suite()).hex(),
        "warnings", p.warnings(), "odrl", OdrlMapping.toJsonLd(p), "statement", statement(event, p.dataset().owner())).encode();
  }

  @Operation(summary = "The POLICY_REVOKED statement a dataset's owner signs to revoke the policy in force (then POST /api/ledger/events and POST /api/policies/revocations).")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ConsoleRevocationDraft.class)))
  @ApiResponse(responseCode = "200", description = "The statement to sign.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleDraft.class)))
  @ApiResponse(responseCode = "400", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/drafts/revocation", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String revocationDraft(HttpRequest<?> http, @Body String body) {
    Json.JObject o = Json.parseObject(body);
    DatasetId dataset = DatasetId.parse(o.string("dataset"));
    String reason = o.string("reason");
    if (reason.isBlank()) throw new MalformedInputException("say why the policy is revoked (reason); it is recorded on the ledger");
    Caller.mustOwn(callers.of(http), dataset.owner(), "revoke the policy of " + dataset);
    var current = deployment.store().currentPolicy(dataset).orElseThrow(() -> new UnknownResourceException(
        dataset + " has no policy in force to revoke; publish one first"));
    var event = new AuditEvent.PolicyRevoked(dataset, current.policyId(), current.hash(), reason);
    return Json.obj("statement", statement(event, dataset.owner())).encode();
  }

  @Operation(summary = "The APPROVAL_GIVEN statement a dataset's owner signs to approve or reject a job awaiting approval (then POST /api/jobs/{id}/approvals).")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ConsoleApprovalDraft.class)))
  @ApiResponse(responseCode = "200", description = "The statement to sign.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsoleDraft.class)))
  @ApiResponse(responseCode = "400", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "404", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = ERROR, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/drafts/approval", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String approvalDraft(HttpRequest<?> http, @Body String body) {
    Json.JObject o = Json.parseObject(body);
    JobId job = new JobId(o.string("job"));
    DatasetId dataset = DatasetId.parse(o.string("dataset"));
    boolean approve = o.bool("approve");
    String note = o.string("note", "");
    Caller.mustOwn(callers.of(http), dataset.owner(), "decide on the use of " + dataset);
    var record = deployment.store().job(job).orElseThrow(() -> new UnknownResourceException(
        "job " + job + " is not known to this coordinator; list jobs with GET /api/jobs"));
    if (record.request().datasets().stream().map(DatasetVersion::dataset).noneMatch(dataset::equals)) {
      throw new MalformedInputException("job " + job + " does not use " + dataset + "; decide for one of its datasets: " + record.request().datasets());
    }
    var event = new AuditEvent.ApprovalGiven(job, dataset, approve, note);
    return Json.obj("statement", statement(event, dataset.owner())).encode();
  }

  /** Registrations read so far, and how far: the ledger only grows, so each call reads only the entries appended since. */
  private final List<AuditEvent.OrgRegistered> registrations = new ArrayList<>();
  private long registrationsScanned;

  /**
   * The ORG_REGISTERED events on the ledger, read incrementally (LocalDeployment.organisations() reads the whole
   * ledger each time: seconds at 100,000 entries, on every console start).
   */
  private synchronized List<AuditEvent.OrgRegistered> registrations() {
    long size = deployment.ledger().size();
    for (long from = registrationsScanned; from < size; from += 1024) {
      for (var e : deployment.ledger().entries(from, Math.min(size, from + 1024))) {
        if (e.event().event() instanceof AuditEvent.OrgRegistered r) registrations.add(r);
      }
    }
    registrationsScanned = Math.max(registrationsScanned, size);
    return List.copyOf(registrations);
  }

  private Json.JObject statement(AuditEvent event, OrgId actor) {
    return SignedEvent.statement(event, actor, Instant.now(clock).truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  private JobRequest requestOf(String body) {
    JobFile draft = JobFile.fromJson(Json.parseObject(body));
    return draft.toRequest(id -> {
      int latest = deployment.store().latestVersion(id);
      if (latest < 1) throw new UnknownResourceException("dataset " + id + " is not published here; pick one from the catalogue");
      return new DatasetVersion(id, latest);
    });
  }
}
