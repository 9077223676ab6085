package io.covenant.coordinator.http;

import io.covenant.coordinator.catalogue.DatasetRecord;
import io.covenant.coordinator.catalogue.JobRecord;
import io.covenant.coordinator.catalogue.PublishedPolicy;
import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.SignedSubmission;
import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.ledger.CosignedCheckpoint;
import io.covenant.ledger.LedgerEntry;
import io.covenant.ledger.verify.LedgerExport;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.links.Link;
import io.swagger.v3.oas.annotations.links.LinkParameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.servers.Server;
import java.util.List;
import java.util.Optional;
import io.covenant.core.cid.Cid;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.ledger.LedgerRejectedException;
import io.covenant.policy.Policy;
import io.covenant.storage.blockstore.HttpBlockstore;
import io.covenant.storage.blockstore.MissingBlockException;
import io.covenant.storage.dataset.DatasetPublisher;

/**
 * The coordinator's HTTP API. Bodies are Covenant's canonical JSON (the same bytes that are hashed and signed), so a
 * client can check signatures on what it receives. Nothing here returns a data value or a key: datasets are listed by
 * schema and address, results are served sealed, and the ledger is served as signed entries and proofs. Whatever
 * needs an organisation's signature (a job, an approval) arrives signed by it: the server never holds a caller's key.
 *
 * <p>The OpenAPI document served at {@code /api/openapi.yml} is generated from this class at compile time (Micronaut
 * OpenAPI); every error is {@code {"error": "..."}} ({@link ApiErrors}).
 */
@OpenAPIDefinition(
    info = @Info(
        title = "Covenant coordinator API",
        version = "1",
        description = "Datasets, policies and jobs of a Covenant coordinator, its ledger and proofs. Every error is "
            + "{\"error\": \"...\"} with the status that fits. List routes page with ?limit=&after= and answer "
            + "{\"items\": [...], \"next\": cursor or null}. See docs/api.md."),
    servers = @Server(url = "http://127.0.0.1:8480", description = "./covenant serve (binds this machine only by default)"))
@Controller("/api")
// Jobs run to their end inside POST /api/jobs (seconds), and the catalogue and ledger block on disk: off the event loop,
// so that one running job does not stall every other request on its loop.
@ExecuteOn(TaskExecutors.BLOCKING)
public final class CoordinatorApi {
  static final String OPENAPI_RESOURCE = "META-INF/swagger/covenant-api.yml";
  /** The form of a job id ({@link JobId}), for the OpenAPI document. */
  private static final String JOB_ID_FORM = "^job-[0-9a-f]{16}$";
  private static final String URL_TOO_LONG = "A URL longer than the server reads (parameters are short values, each sent once).";
  /** The most events one batch append takes: a node sends two (ATTESTATION_VERIFIED and KEY_RELEASED). */
  static final int MAX_BATCH = 16;
  private static final String BODY_TOO_LARGE = "A body larger than the server accepts.";

  private final LocalDeployment deployment;
  private final Callers callers;
  private final LedgerBackedCatalogue catalogue;

  CoordinatorApi(LocalDeployment deployment, Callers callers) {
    this.deployment = deployment;
    this.callers = callers;
    this.catalogue = new LedgerBackedCatalogue(deployment.ledger(), deployment.store(), deployment.suite());
  }

  @Operation(summary = "Whether the coordinator is up, and its ledger's size.")
  @ApiResponse(responseCode = "200", description = "Up.", content = @Content(schema = @Schema(implementation = ApiSchemas.Health.class)))
  @Get(value = "/health", produces = MediaType.APPLICATION_JSON)
  public String health() {
    return Json.obj("status", "ok", "ledgerSize", deployment.ledger().size()).encode();
  }

  @Operation(summary = "This API's OpenAPI document (generated from the code).")
  @ApiResponse(responseCode = "200", description = "The OpenAPI document, YAML.")
  @Get(value = "/openapi.yml", produces = "application/yaml")
  public HttpResponse<byte[]> openapi() throws java.io.IOException {
    try (var in = CoordinatorApi.class.getClassLoader().getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) throw new UnknownResourceException("this build carries no OpenAPI document; rebuild the coordinator");
      return HttpResponse.ok(in.readAllBytes()).contentType("application/yaml");
    }
  }

  @Operation(summary = "Published dataset versions, a page at a time.",
      description = "Each with its manifest CID, row and shard counts and schema with sensitivity tags; never values.")
  @ApiResponse(responseCode = "200", description = "A page.", content = @Content(schema = @Schema(implementation = ApiSchemas.DatasetPage.class)))
  @ApiResponse(responseCode = "400", description = "A limit outside 1..500 or an unknown cursor.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/datasets", produces = MediaType.APPLICATION_JSON)
  public String datasets(
      @Parameter(description = "Items a page, 1..500 (default 50).", schema = @Schema(type = "integer", minimum = "1", maximum = "500")) @Nullable @QueryValue String limit,
      @Parameter(description = "The previous page's next cursor.") @Nullable @QueryValue String after) {
    return Paging.of(limit, after).page(deployment.store().datasets(), d -> d.version().toString(), CoordinatorApi::dataset).encode();
  }

  @Operation(summary = "Published policies, a page at a time, with whether each is in force, superseded or revoked.")
  @ApiResponse(responseCode = "200", description = "A page.", content = @Content(schema = @Schema(implementation = ApiSchemas.PolicyPage.class)))
  @ApiResponse(responseCode = "400", description = "A limit outside 1..500 or an unknown cursor.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/policies", produces = MediaType.APPLICATION_JSON)
  public String policies(
      @Parameter(description = "Items a page, 1..500 (default 50).", schema = @Schema(type = "integer", minimum = "1", maximum = "500")) @Nullable @QueryValue String limit,
      @Parameter(description = "The previous page's next cursor.") @Nullable @QueryValue String after) {
    return Paging.of(limit, after).page(deployment.store().policies(), p -> p.policy().hash().hex(), CoordinatorApi::policy).encode();
  }

  @Operation(summary = "Jobs, oldest submission first, a page at a time.",
      description = "Over mutual TLS, only the jobs the caller may see: its own, those on its datasets (an owner), or all (an auditor, the operator).")
  // Links (OpenAPI 3.0 section 4.7.20) from a listed job to the routes about it: clients and the API fuzzer follow them.
  @ApiResponse(responseCode = "200", description = "A page.", content = @Content(schema = @Schema(implementation = ApiSchemas.JobPage.class)),
      links = {
        @Link(name = "job", operationId = "job", parameters = @LinkParameter(name = "id", expression = "$response.body#/items/0/job")),
        @Link(name = "trail", operationId = "trail", parameters = @LinkParameter(name = "id", expression = "$response.body#/items/0/job")),
        @Link(name = "result", operationId = "result", parameters = @LinkParameter(name = "id", expression = "$response.body#/items/0/job")),
        @Link(name = "approve", operationId = "approve", parameters = @LinkParameter(name = "id", expression = "$response.body#/items/0/job"))
      })
  @ApiResponse(responseCode = "400", description = "A limit outside 1..500 or an unknown cursor.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/jobs", produces = MediaType.APPLICATION_JSON)
  public String jobs(HttpRequest<?> request,
      @Parameter(description = "Items a page, 1..500 (default 50).", schema = @Schema(type = "integer", minimum = "1", maximum = "500")) @Nullable @QueryValue String limit,
      @Parameter(description = "The previous page's next cursor (a job id).") @Nullable @QueryValue String after) {
    Optional<Caller> caller = callers.of(request);
    List<JobRecord> visible = deployment.store().jobs().stream().filter(j -> Caller.sees(caller, j)).toList();
    return Paging.of(limit, after).page(visible, r -> r.request().id().value(), this::record).encode();
  }

  @Operation(summary = "Submits a job signed by its consumer and runs it as far as it goes.",
      description = "The body is the request and the consumer's signed JOB_SUBMITTED: './covenant sign job FILE' prints it, the Java "
          + "client builds it. A body that does not match its signature, is signed by another organisation, or reuses a job id "
          + "is refused with 409 and nothing is recorded.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.JobSubmission.class)))
  @ApiResponse(responseCode = "201", description = "Recorded; committed, denied, failed or awaiting approval.", content = @Content(schema = @Schema(implementation = ApiSchemas.JobOutcome.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON or fields.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "409", description = "Refused: signature, consumer or request mismatch, or a used job id.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/json.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/jobs", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> submit(HttpRequest<?> request, @Body String body) {
    SignedSubmission s = SignedSubmission.fromJson(Json.parseObject(body));
    Optional<Caller> caller = callers.of(request);
    Caller.mustBe(caller, s.submission().actor(), "a job submission");
    Caller.mustConsume(caller, "submit jobs");
    JobOutcome out = deployment.coordinator().submit(s.request(), s.submission());
    return HttpResponse.status(HttpStatus.CREATED).body(outcome(out).encode());
  }

  @Operation(summary = "A dataset owner's signed decision on a job that awaits approval.",
      description = "The body is the APPROVAL_GIVEN event signed by the dataset's owner ('./covenant sign approval'). The "
          + "coordinator checks the signature and ownership; it cannot approve for anyone. A rejection denies the job; the last "
          + "approval runs it.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.SignedEventBody.class)))
  @ApiResponse(responseCode = "200", description = "Recorded.", content = @Content(schema = @Schema(implementation = ApiSchemas.JobOutcome.class)))
  @ApiResponse(responseCode = "400", description = "Not a job id (job- and 16 hex digits).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "404", description = "No such job.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "409", description = "Refused: not the owner's signature, already decided, or not awaiting approval.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/jobs/{id}/approvals", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> approve(HttpRequest<?> request,
      @Parameter(description = "The job id: job- and 16 hex digits.", schema = @Schema(type = "string", pattern = JOB_ID_FORM)) @PathVariable String id, @Body String body) {
    JobId job = known(id);
    SignedEvent approval = SignedEvent.fromJson(Json.parseObject(body));
    Optional<Caller> caller = callers.of(request);
    Caller.mustBe(caller, approval.actor(), "an approval");
    if (approval.event() instanceof AuditEvent.ApprovalGiven a) Caller.mustOwn(caller, a.dataset().owner(), "decide on the use of " + a.dataset());
    if (approval.event().job().map(j -> !j.equals(job)).orElse(true)) {
      throw new MalformedInputException("the approval is for another job than " + id + "; sign one for " + id);
    }
    return HttpResponse.ok(outcome(deployment.coordinator().approve(approval)).encode());
  }

  @Operation(summary = "A job's state, reasons and result hash.")
  @ApiResponse(responseCode = "200", description = "The job.", content = @Content(schema = @Schema(implementation = ApiSchemas.Job.class)))
  @ApiResponse(responseCode = "400", description = "Not a job id (job- and 16 hex digits).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "404", description = "No such job.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/jobs/{id}", produces = MediaType.APPLICATION_JSON)
  public String job(HttpRequest<?> request, @Parameter(description = "The job id: job- and 16 hex digits.", schema = @Schema(type = "string", pattern = JOB_ID_FORM)) @PathVariable String id) {
    return record(visible(request, id)).encode();
  }

  @Operation(summary = "The result sealed to the consumer (HPKE, RFC 9180); only the consumer's key opens it.",
      description = "Check its hash (SHA-256, or SM3 under the national suite) against RESULT_COMMITTED in the job's trail before trusting it.",
      // Written inside @Operation: separate @ApiResponse annotations would be documented as octet-stream, the route's
      // type, while the errors are JSON like everywhere else.
      responses = {
        @ApiResponse(responseCode = "200", description = "The sealed bytes.", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM)),
        @ApiResponse(responseCode = "400", description = "Not a job id (job- and 16 hex digits).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class))),
        @ApiResponse(responseCode = "404", description = "No such job.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class))),
        @ApiResponse(responseCode = "409", description = "The job has no result (yet, or ever).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class))),
        @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
      })
  @Get(value = "/jobs/{id}/result", produces = MediaType.APPLICATION_OCTET_STREAM)
  public byte[] result(HttpRequest<?> request, @Parameter(description = "The job id: job- and 16 hex digits.", schema = @Schema(type = "string", pattern = JOB_ID_FORM)) @PathVariable String id) {
    JobRecord job = visible(request, id);
    Caller.mustFetchResult(callers.of(request), job);
    return deployment.coordinator().sealedResult(job.request().id());
  }

  @Operation(summary = "The job's ledger entries, each signed by the organisation that acted.")
  @ApiResponse(responseCode = "200", description = "The entries.",
      content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.LedgerEntry.class))))
  @ApiResponse(responseCode = "400", description = "Not a job id (job- and 16 hex digits).", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "404", description = "No such job.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/jobs/{id}/trail", produces = MediaType.APPLICATION_JSON)
  public String trail(HttpRequest<?> request, @Parameter(description = "The job id: job- and 16 hex digits.", schema = @Schema(type = "string", pattern = JOB_ID_FORM)) @PathVariable String id) {
    return entries(deployment.ledger().entriesForJob(visible(request, id).request().id())).encode();
  }

  @Operation(summary = "The ledger's signed tree head (RFC 9162 checkpoint), and the latest one its witnesses cosigned.",
      description = "checkpoint is the operator's own claim at the ledger's current size. witnessed is the latest checkpoint the "
          + "consortium's witnesses cosigned, each having checked that the log only grew since they last cosigned (null until "
          + "'./covenant ledger checkpoint' first runs); save it and pass it to './covenant verify --since FILE' later.")
  @ApiResponse(responseCode = "200", description = "The checkpoints.", content = @Content(schema = @Schema(implementation = ApiSchemas.Checkpoints.class)))
  @Get(value = "/ledger/checkpoint", produces = MediaType.APPLICATION_JSON)
  public String checkpoint() {
    var witnessed = LedgerExport.latestWitnessed(deployment.ledgerDir());
    return Json.obj("checkpoint", deployment.ledger().checkpoint().toJson(), "witnessed", witnessed.map(CosignedCheckpoint::toJson).orElse(null)).encode();
  }

  @Operation(summary = "The ledger's signed checkpoint now, and the entries from a given index up to it: a mirror's catch-up in one request.",
      description = "What GET /api/ledger/checkpoint and GET /api/ledger/entries?from=&to= would answer together: the operator signs the "
          + "checkpoint first, then the entries [from, its size) follow, at most 10,000 (ask again from the next index for the rest). "
          + "An organisation's node calls it before each key-release decision; it verifies both itself.")
  @ApiResponse(responseCode = "200", description = "The checkpoint and the entries from 'from' that it covers.", content = @Content(schema = @Schema(implementation = ApiSchemas.LogUpdate.class)))
  @ApiResponse(responseCode = "400", description = "A negative index.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/ledger/update", produces = MediaType.APPLICATION_JSON)
  public String ledgerUpdate(
      @Parameter(description = "The first index wanted: the number of entries the caller already holds.", schema = @Schema(type = "integer", format = "int64", minimum = "0")) @QueryValue long from) {
    if (from < 0) throw new MalformedInputException("from is " + from + "; give the number of entries already held, 0 or more");
    var cp = deployment.ledger().checkpoint();
    // An index past the checkpoint gets no entries: the caller holds more than the log now has, which it judges itself.
    List<LedgerEntry> entries = from >= cp.treeSize() ? List.of() : deployment.ledger().entries(from, Math.min(cp.treeSize(), from + 10_000));
    return new io.covenant.ledger.mirror.LedgerSource.LogUpdate(cp, entries).toJson().encode();
  }

  @Operation(summary = "Ledger entries [from, to), at most 10,000 per call.")
  @ApiResponse(responseCode = "200", description = "The entries.",
      content = @Content(array = @ArraySchema(schema = @Schema(implementation = ApiSchemas.LedgerEntry.class))))
  @ApiResponse(responseCode = "400", description = "A range outside the ledger.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/ledger/entries", produces = MediaType.APPLICATION_JSON)
  public String ledgerEntries(
      @Parameter(description = "First index (default 0).", schema = @Schema(type = "integer", format = "int64", minimum = "0")) @Nullable @QueryValue String from,
      @Parameter(description = "End index, exclusive (default, and at most: the ledger's size).", schema = @Schema(type = "integer", format = "int64", minimum = "0"))
          @Nullable @QueryValue String to) {
    long size = deployment.ledger().size();
    long first = QueryNumbers.wholeNumber("from", from, 0);
    long end = QueryNumbers.wholeNumber("to", to, size);
    if (first < 0 || end < first || first > size) {
      throw new MalformedInputException("entries range [" + first + ", " + end + ") is not within the ledger of size " + size
          + "; ask for 0 <= from <= to, from at most " + size);
    }
    long last = Math.min(end, size);
    return entries(deployment.ledger().entries(first, Math.min(last, first + 10_000))).encode();
  }

  @Operation(summary = "An RFC 9162 inclusion proof of entry index in the tree of the given size.")
  @ApiResponse(responseCode = "200", description = "The proof.", content = @Content(schema = @Schema(implementation = ApiSchemas.InclusionProof.class)))
  @ApiResponse(responseCode = "400", description = "Missing or unreadable parameters, or outside the tree.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/ledger/proof/inclusion", produces = MediaType.APPLICATION_JSON)
  public String inclusion(
      @Parameter(description = "The entry.", schema = @Schema(type = "integer", format = "int64", minimum = "0")) @QueryValue long index,
      @Parameter(description = "The tree size, at most the ledger's.", schema = @Schema(type = "integer", format = "int64", minimum = "0")) @QueryValue long size) {
    var p = deployment.ledger().proveInclusion(index, size);
    return Json.obj("index", p.index(), "treeSize", p.treeSize(), "path", p.path().stream().map(d -> d.hex()).toList()).encode();
  }

  @Operation(summary = "An RFC 9162 consistency proof between two tree sizes.")
  @ApiResponse(responseCode = "200", description = "The proof.", content = @Content(schema = @Schema(implementation = ApiSchemas.ConsistencyProof.class)))
  @ApiResponse(responseCode = "400", description = "Missing or unreadable parameters, or outside the tree.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Get(value = "/ledger/proof/consistency", produces = MediaType.APPLICATION_JSON)
  public String consistency(
      @Parameter(description = "The older tree size.", schema = @Schema(type = "integer", format = "int64", minimum = "0")) @QueryValue long from,
      @Parameter(description = "The newer tree size, at most the ledger's.", schema = @Schema(type = "integer", format = "int64", minimum = "0")) @QueryValue long to) {
    var p = deployment.ledger().proveConsistency(from, to);
    return Json.obj("oldSize", p.oldSize(), "newSize", p.newSize(), "path", p.path().stream().map(d -> d.hex()).toList()).encode();
  }

  @Operation(summary = "Appends an event its actor signed to the ledger (a node's own KEY_RELEASED, DATASET_PUBLISHED, POLICY_PUBLISHED...).",
      description = "The body is a SignedEvent. The ledger checks the signature against the actor's registered key and refuses what a "
          + "revoked organisation signs. Refused here: JOB_SUBMITTED and APPROVAL_GIVEN (they go through POST /api/jobs and "
          + "/api/jobs/{id}/approvals, which run the job), an owner's event about another owner's dataset, a registration of the "
          + "operator, and (where a consortium root is pinned) a registration without a certificate from it. Over mutual TLS the "
          + "actor must be the caller.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.SignedEventBody.class)))
  @ApiResponse(responseCode = "201", description = "Appended: the ledger entry it became.", content = @Content(schema = @Schema(implementation = ApiSchemas.LedgerEntry.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON or not a signed event.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = "Over mutual TLS: signed by another organisation than the caller.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/json.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = "Refused by the ledger or by the rules above; the message says why.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/ledger/events", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> appendEvent(HttpRequest<?> request, @Body String body) {
    SignedEvent event = SignedEvent.fromJson(Json.parseObject(body));
    Caller.mustBe(callers.of(request), event.actor(), "a " + event.event().type() + " event");
    new LedgerAdmission(deployment).check(event);
    try {
      return HttpResponse.status(HttpStatus.CREATED).body(deployment.ledger().append(event).toJson().encode());
    } catch (LedgerRejectedException e) {
      throw new UnprovenClaimException(e.getMessage());
    }
  }

  @Operation(summary = "Appends several events their actors signed as one batch, and answers the entries with a checkpoint covering them.",
      description = "The body is {\"events\": [SignedEvent, ...]}, at most " + MAX_BATCH + " events, each admitted as by POST /api/ledger/events "
          + "(over mutual TLS every one must be the caller's). All are checked before any is appended: one refused event refuses the "
          + "batch and nothing is appended. The entries are consecutive, in the order given, durable with one fsync. The answer "
          + "carries the operator's signed checkpoint at a size that covers them, so a node's mirror verifies its own appends "
          + "without asking for the checkpoint and the entries again (an owner's ATTESTATION_VERIFIED and KEY_RELEASED, say).")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.SignedEventBatch.class)))
  @ApiResponse(responseCode = "201", description = "Appended: the entries the events became, and a signed checkpoint covering them.",
      content = @Content(schema = @Schema(implementation = ApiSchemas.LogUpdate.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON, no events, too many, or one is not a signed event.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = "Over mutual TLS: an event signed by another organisation than the caller.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/json.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = "An event refused by the ledger or by the rules of POST /api/ledger/events; nothing was appended.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/ledger/events/batch", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> appendEvents(HttpRequest<?> request, @Body String body,
      @Parameter(description = "The number of entries the caller already holds: the answer then carries every entry from there on "
          + "(at most 10,000), others' appends included, not only the caller's.", schema = @Schema(type = "integer", format = "int64", minimum = "0"))
      @QueryValue Optional<Long> from) {
    if (from.isPresent() && from.get() < 0) throw new MalformedInputException("from is " + from.get() + "; give the number of entries already held, 0 or more");
    List<Json> items = Json.parseObject(body).array("events");
    if (items.isEmpty() || items.size() > MAX_BATCH) {
      throw new MalformedInputException("a batch holds 1 to " + MAX_BATCH + " signed events, not " + items.size() + "; send larger sets as several batches");
    }
    List<SignedEvent> events = new java.util.ArrayList<>(items.size());
    for (Json item : items) {
      if (!(item instanceof Json.JObject o)) throw new MalformedInputException("every member of \"events\" must be a signed event object");
      events.add(SignedEvent.fromJson(o));
    }
    LedgerAdmission admission = new LedgerAdmission(deployment);
    for (SignedEvent event : events) {
      Caller.mustBe(callers.of(request), event.actor(), "a " + event.event().type() + " event");
      admission.check(event);
    }
    List<LedgerEntry> appended;
    try {
      appended = deployment.ledger().appendAll(events);
    } catch (LedgerRejectedException e) {
      throw new UnprovenClaimException(e.getMessage());
    }
    // Signed after the entries are durable, so it covers them (and whatever others appended meanwhile).
    var cp = deployment.ledger().checkpoint();
    long first = appended.get(0).index();
    // Others' entries since the caller's last look come along, so that its mirror need not page for them; never
    // fewer than its own.
    List<LedgerEntry> answer = from.isPresent() && from.get() < first && cp.treeSize() - from.get() <= 10_000
        ? deployment.ledger().entries(from.get(), cp.treeSize()) : appended;
    return HttpResponse.status(HttpStatus.CREATED).body(new io.covenant.ledger.mirror.LedgerSource.LogUpdate(cp, answer).toJson().encode());
  }

  @Operation(summary = "Stores a block: a sealed shard (codec=raw) or a manifest (codec=dag-json); answers its CID.",
      description = "The coordinator computes the CIDv1 (sha2-256, or sm3-256 with hash=sm3-256) of the bytes and keeps them in its block store; it stores what it is "
          + "given (ciphertext and public manifests) and reads none of it. At most 4 MiB: a sealed shard is at most 1 MiB and a "
          + "manifest about 130 bytes a shard. Idempotent.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM))
  @ApiResponse(responseCode = "201", description = "Stored.", content = @Content(schema = @Schema(implementation = ApiSchemas.StoredBlock.class)))
  @ApiResponse(responseCode = "400", description = "An unknown codec or an empty block.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/octet-stream.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Put(value = "/blocks", consumes = MediaType.APPLICATION_OCTET_STREAM, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> putBlock(HttpRequest<?> request,
      @Parameter(description = "raw (a sealed shard) or dag-json (a manifest).", schema = @Schema(type = "string", allowableValues = {"raw", "dag-json"})) @QueryValue String codec,
      @Parameter(description = "The CID's hash: sha2-256 (the default, the international suite) or sm3-256 (the national suite's datasets).",
          schema = @Schema(type = "string", allowableValues = {io.covenant.core.cid.Cid.SHA2_256_NAME, io.covenant.core.crypto.CryptoSuite.SM3_256_NAME}))
      @QueryValue Optional<String> hash,
      @Body byte[] block) {
    callers.of(request);
    long multicodec = HttpBlockstore.codecNamed(codec);
    io.covenant.core.crypto.CryptoSuite addressing = hash.map(io.covenant.core.crypto.CryptoSuite::ofMultihashName).orElse(io.covenant.core.crypto.CryptoSuite.INTL);
    if (block.length == 0) throw new MalformedInputException("the block is empty; send the shard's or manifest's bytes as the body");
    if (block.length > HttpBlockstore.MAX_BLOCK_BYTES) {
      throw new HttpStatusException(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "the block is " + block.length + " bytes; blocks are at most "
          + HttpBlockstore.MAX_BLOCK_BYTES + " (a sealed shard at most " + DatasetPublisher.MAX_SEALED_SHARD_BYTES + ")");
    }
    Cid cid = deployment.blockstore().put(addressing, multicodec, block);
    return HttpResponse.status(HttpStatus.CREATED).body(Json.obj("cid", cid.toString()).encode());
  }

  @Operation(summary = "A block's bytes, by CID.",
      description = "Check them against the CID before use (io.covenant.storage.blockstore.HttpBlockstore does): the coordinator is not trusted with them.",
      responses = {
        @ApiResponse(responseCode = "200", description = "The block.", content = @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM)),
        @ApiResponse(responseCode = "400", description = "Not a CID.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class))),
        @ApiResponse(responseCode = "404", description = "Not held here.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class))),
        @ApiResponse(responseCode = "414", description = URL_TOO_LONG, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
      })
  @Get(value = "/blocks/{cid}", produces = MediaType.APPLICATION_OCTET_STREAM)
  public byte[] block(HttpRequest<?> request, @Parameter(description = "The block's CIDv1, base32 (b...).") @PathVariable String cid) {
    callers.of(request);
    Cid id = Cid.parse(cid);
    try {
      // The reader checks the bytes against the CID it asked for; hashing them here as well only doubled the work.
      return deployment.blockstore().getToRelay(id);
    } catch (MissingBlockException e) {
      throw new UnknownResourceException("block " + cid + " is not held by this coordinator; store it with PUT /api/blocks");
    }
  }

  @Operation(summary = "Registers a published dataset version in the catalogue, as its owner recorded it on the ledger.",
      description = "Only if the ledger holds a DATASET_PUBLISHED signed by the dataset's owner with the same version, manifest CID, "
          + "rows, shards and the schema's hash (the consortium's hash of its canonical JSON: SHA-256, or SM3 under the national suite). Registering the same again answers 200 and changes "
          + "nothing; a different registration of a registered version is refused with 409. Over mutual TLS only the owner may.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.DatasetRegistration.class)))
  @ApiResponse(responseCode = "201", description = "Registered.", content = @Content(schema = @Schema(implementation = ApiSchemas.Dataset.class)))
  @ApiResponse(responseCode = "200", description = "Already registered exactly so; nothing changed.", content = @Content(schema = @Schema(implementation = ApiSchemas.Dataset.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON or fields.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = "Over mutual TLS: the caller is not the dataset's owner.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "409", description = "The version is registered with other fields.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/json.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = "The ledger holds no matching DATASET_PUBLISHED; the message names the difference.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/datasets", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> registerDataset(HttpRequest<?> request, @Body String body) {
    LedgerBackedCatalogue.DatasetClaim claim = LedgerBackedCatalogue.DatasetClaim.fromJson(Json.parseObject(body));
    Caller.mustOwn(callers.of(request), claim.version().owner(), "register " + claim.version());
    var admitted = catalogue.registerDataset(claim);
    return HttpResponse.status(admitted.created() ? HttpStatus.CREATED : HttpStatus.OK).body(dataset(admitted.item()).encode());
  }

  @Operation(summary = "Puts a policy in force in the catalogue, as its dataset's owner published it on the ledger.",
      description = "The body is the policy's JSON text (docs/policy-language.md). Only if the ledger's latest POLICY_PUBLISHED of the "
          + "dataset, signed by its owner, carries this policy's hash and limits and is not revoked, and a version of the dataset is "
          + "registered. Sending the policy in force again answers 200 and changes nothing. Over mutual TLS only the owner may.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE)))
  @ApiResponse(responseCode = "201", description = "In force.", content = @Content(schema = @Schema(implementation = ApiSchemas.Policy.class)))
  @ApiResponse(responseCode = "200", description = "Already in force; nothing changed.", content = @Content(schema = @Schema(implementation = ApiSchemas.Policy.class)))
  @ApiResponse(responseCode = "400", description = "Not a valid policy.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = "Over mutual TLS: the caller is not the dataset's owner.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/json.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = "The ledger does not show this policy as its owner's latest, or it was revoked.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/policies", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<String> putPolicy(HttpRequest<?> request, @Body String body) {
    Policy policy = Policy.parse(body);
    Caller.mustOwn(callers.of(request), policy.dataset().owner(), "publish the policy of " + policy.dataset());
    var admitted = catalogue.putPolicy(body);
    return HttpResponse.status(admitted.created() ? HttpStatus.CREATED : HttpStatus.OK).body(policy(admitted.item()).encode());
  }

  @Operation(summary = "Marks a dataset's current policy revoked, as its owner revoked it on the ledger.",
      description = "Only if the ledger holds the owner's POLICY_REVOKED of the policy it last published for the dataset. Revoking again "
          + "changes nothing. Over mutual TLS only the owner may.")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
      content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.PolicyRevocation.class)))
  @ApiResponse(responseCode = "200", description = "Revoked.", content = @Content(schema = @Schema(implementation = ApiSchemas.Policy.class)))
  @ApiResponse(responseCode = "400", description = "Malformed JSON or dataset id.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "403", description = "Over mutual TLS: the caller is not the dataset's owner.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "409", description = "The catalogue's latest policy of the dataset is not the one revoked.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "413", description = BODY_TOO_LARGE, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "415", description = "Not sent as application/json.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @ApiResponse(responseCode = "422", description = "The ledger holds no such POLICY_REVOKED.", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ApiSchemas.ErrorBody.class)))
  @Post(value = "/policies/revocations", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public String revokePolicy(HttpRequest<?> request, @Body String body) {
    DatasetId dataset = DatasetId.parse(Json.parseObject(body).string("dataset"));
    Caller.mustOwn(callers.of(request), dataset.owner(), "revoke the policy of " + dataset);
    return policy(catalogue.revokePolicy(dataset).item()).encode();
  }

  /** The job, if this coordinator knows it (404) and the caller may see it (403). */
  private JobRecord visible(HttpRequest<?> request, String id) {
    JobRecord job = deployment.coordinator().job(known(id)).orElseThrow();
    Caller.mustSee(callers.of(request), job);
    return job;
  }

  /** The id as a job this coordinator knows, or a 404 naming it. */
  private JobId known(String id) {
    JobId job = new JobId(id);
    if (deployment.coordinator().job(job).isEmpty()) {
      throw new UnknownResourceException("job " + id + " is not known to this coordinator; list jobs with GET /api/jobs");
    }
    return job;
  }

  private static Json.JArray entries(List<LedgerEntry> entries) {
    return Json.arr(entries.stream().map(LedgerEntry::toJson).toList());
  }

  private static Json.JObject outcome(JobOutcome o) {
    return Json.obj("job", o.job(), "state", o.state().name(), "reasons", o.reasons(), "resultHash", o.resultHash().map(Object::toString).orElse(null));
  }

  private static Json.JObject dataset(DatasetRecord d) {
    return Json.obj("dataset", d.version(), "manifest", d.manifest(), "rows", d.rows(), "shards", d.shards(),
        "schema", d.schema().toJson(), "publishedAt", d.publishedAt());
  }

  private static Json.JObject policy(PublishedPolicy p) {
    return Json.obj("policy", p.policy().policyId(), "dataset", p.policy().dataset(), "hash", p.policy().hash().hex(),
        "status", p.status().wireName(), "publishedAt", p.policy().publishedAt(), "document", Json.parseObject(p.policy().json()));
  }

  private Json.JObject record(JobRecord r) {
    return Json.obj(
        "job", r.request().id(), "consumer", r.request().consumer(), "state", r.state().name(), "reasons", r.reasons(),
        "datasets", r.request().datasets().stream().map(Object::toString).toList(), "engine", r.request().engine().wireName(),
        "purpose", r.request().purpose(), "computationHash", r.request().computation().hash(deployment.suite()).hex(),
        "resultHash", r.resultHash().map(Object::toString).orElse(null),
        "submittedAt", r.submittedAt(), "updatedAt", r.updatedAt());
  }
}
