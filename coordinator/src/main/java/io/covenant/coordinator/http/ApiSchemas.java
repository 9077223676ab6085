package io.covenant.coordinator.http;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The shapes of the API's JSON bodies, for the generated OpenAPI document only. The controllers write and read
 * Covenant's canonical JSON directly (the bytes that are hashed and signed), so these records are never instantiated;
 * a test checks the bodies the server returns carry exactly these members.
 */
final class ApiSchemas {
  private ApiSchemas() {}

  @Schema(name = "Error", description = "Every error, whatever its status: what was wrong and what to do.",
      additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
  record ErrorBody(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, minLength = 1, example = "job job-0000000000000000 is not known to this coordinator; list jobs with GET /api/jobs") String error) {}

  @Schema(name = "Health")
  record Health(@Schema(example = "ok") String status, @Schema(description = "Entries on the ledger.") long ledgerSize) {}

  @Schema(name = "Job", description = "A job as the coordinator records it. Never a data value: the result is served sealed.")
  record Job(
      @Schema(example = "job-3f2a9c0d1e4b5a67") String job,
      @Schema(example = "insurer-x") String consumer,
      @Schema(allowableValues = {"SUBMITTED", "AWAITING_APPROVAL", "AUTHORIZED", "RUNNING", "COMMITTED", "DENIED", "FAILED"}) String state,
      @Schema(description = "Why the job is denied, failed or waiting; each names the dataset and the rule.") List<String> reasons,
      @Schema(description = "Dataset versions, owner/name@version.") List<String> datasets,
      @Schema(example = "tee") String engine,
      @Schema(example = "risk-model") String purpose,
      @Schema(description = "The consortium's hash (hex; SHA-256, or SM3 under the national suite) of the computation's canonical JSON, as signed in JOB_SUBMITTED.") String computationHash,
      @Schema(nullable = true, description = "The consortium's hash (SHA-256, or SM3 under the national suite) of the sealed result, as committed on the ledger.") String resultHash,
      @Schema(format = "date-time") String submittedAt,
      @Schema(format = "date-time") String updatedAt) {}

  @Schema(name = "JobPage", description = "One page of jobs, oldest submission first.")
  record JobPage(List<Job> items, @Schema(nullable = true, description = "Pass as ?after= for the next page; null on the last page.") String next) {}

  @Schema(name = "Dataset", description = "A published dataset version: its address, shape and schema; never values.")
  record Dataset(
      @Schema(example = "hospital-a/claims@1") String dataset,
      @Schema(description = "CIDv1 of the owner-signed manifest.") String manifest,
      long rows,
      int shards,
      @Schema(description = "Columns with their types and sensitivity tags.") List<Column> schema,
      @Schema(format = "date-time") String publishedAt) {}

  @Schema(name = "Column")
  record Column(@Schema(example = "claim_cost") String name, @Schema(example = "float64") String type,
      @Schema(allowableValues = {"identifier", "quasi-identifier", "sensitive", "public"}) String sensitivity) {}

  @Schema(name = "DatasetPage", description = "One page of dataset versions, by dataset then version.")
  record DatasetPage(List<Dataset> items, @Schema(nullable = true) String next) {}

  @Schema(name = "Policy", description = "A policy an owner published (the policy text holds no personal data).")
  record Policy(
      @Schema(example = "hospital-a-claims-statistics") String policy,
      @Schema(example = "hospital-a/claims") String dataset,
      @Schema(description = "The consortium's hash (SHA-256, or SM3 under the national suite) of the policy's canonical JSON, as recorded in POLICY_PUBLISHED; the paging cursor.") String hash,
      @Schema(allowableValues = {"in-force", "superseded", "revoked"}) String status,
      @Schema(format = "date-time") String publishedAt,
      @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE, description = "The policy document (docs/policy-language.md).") Map<String, Object> document) {}

  @Schema(name = "PolicyPage", description = "One page of policies, in publication order.")
  record PolicyPage(List<Policy> items, @Schema(nullable = true) String next) {}

  @Schema(name = "Computation")
  record Computation(@Schema(allowableValues = "sql") String kind, @Schema(example = "SELECT icd10_chapter, COUNT(*) FROM claims GROUP BY icd10_chapter") String sql) {}

  @Schema(name = "JobRequest", description = "What the consumer asks for; every field is bound by the signed JOB_SUBMITTED.")
  record JobRequest(
      @Schema(description = "Chosen by the consumer: job- and 16 hex digits; used once.") String id,
      String consumer,
      @Schema(description = "Exact dataset versions, owner/name@version.") List<String> datasets,
      @Schema(example = "tee") String engine,
      String purpose,
      Computation computation) {}

  @Schema(name = "Statement", description = "What is signed: its canonical JSON (RFC 8785) bytes.")
  record Statement(
      @Schema(example = "JOB_SUBMITTED") String type,
      @Schema(description = "Event format version.") int v,
      @Schema(description = "The organisation that signed.") String actor,
      @Schema(format = "date-time") String at,
      @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE,
          description = "The event's fields; for JOB_SUBMITTED: job, consumer, datasets, engine, purpose, computationHash.") Map<String, Object> body) {}

  @Schema(name = "SignedEvent", description = "An audit event signed by the organisation that acts (Ed25519, RFC 8032).")
  record SignedEventBody(Statement statement, @Schema(description = "Ed25519 signature over the statement's canonical bytes, hex.") String sig) {}

  @Schema(name = "JobSubmission", description = "The body of POST /api/jobs: './covenant sign job FILE' prints it.")
  record JobSubmission(JobRequest request, @Schema(description = "JOB_SUBMITTED signed by the consumer; must describe the request exactly.") SignedEventBody submission) {}

  @Schema(name = "JobOutcome", description = "How far a job went: its result, a denial, or waiting for approvals.")
  record JobOutcome(String job, String state, List<String> reasons, @Schema(nullable = true) String resultHash) {}

  @Schema(name = "LedgerEntry")
  record LedgerEntry(long index, SignedEventBody event, @Schema(description = "Leaf hash of the entry before, hex.") String previous) {}

  @Schema(name = "InclusionProof", description = "RFC 9162 section 2.1.3 audit path.")
  record InclusionProof(long index, long treeSize, List<String> path) {}

  @Schema(name = "ConsistencyProof", description = "RFC 9162 section 2.1.4 consistency proof.")
  record ConsistencyProof(long oldSize, long newSize, List<String> path) {}

  @Schema(name = "Checkpoint", description = "A signed tree head (RFC 9162 section 4.10): the log's size and Merkle root, signed by the operator's log key.")
  record Checkpoint(long treeSize, @Schema(description = "Merkle tree root, hex.") String rootHash, @Schema(format = "date-time") String at,
      @Schema(description = "The operator's log key (Ed25519), hex.") String logKey, @Schema(description = "Ed25519 signature, hex.") String sig) {}

  @Schema(name = "Cosignature", description = "A witness's cosignature on a checkpoint (C2SP tlog-cosignature semantics).")
  record Cosignature(String witness, @Schema(description = "The witness's key (Ed25519), hex.") String key, @Schema(format = "date-time") String at,
      @Schema(description = "Ed25519 signature, hex.") String sig) {}

  @Schema(name = "CosignedCheckpoint", description = "A checkpoint with the witnesses' cosignatures: what 'covenant verify --since FILE' reads.")
  record CosignedCheckpoint(long treeSize, String rootHash, @Schema(format = "date-time") String at, String logKey, String sig,
      List<Cosignature> cosignatures) {}

  @Schema(name = "SignedEventBatch", description = "The body of POST /api/ledger/events/batch: events appended as one, all or none.")
  record SignedEventBatch(List<SignedEventBody> events) {}

  @Schema(name = "LogUpdate", description = "A signed checkpoint and ledger entries it covers: those a batch append became (consecutive, in "
      + "order), or those from a mirror's size on (GET /api/ledger/update).")
  record LogUpdate(List<LedgerEntry> entries, Checkpoint checkpoint) {}

  @Schema(name = "Checkpoints", description = "The operator's checkpoint now, and the latest one its witnesses cosigned.")
  record Checkpoints(Checkpoint checkpoint,
      @Schema(nullable = true, description = "Null until the witnesses first cosign ('./covenant ledger checkpoint').") CosignedCheckpoint witnessed) {}

  @Schema(name = "StoredBlock", description = "Where a block is now held: the CIDv1 the coordinator computed from its bytes.")
  record StoredBlock(@Schema(example = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku") String cid) {}

  @Schema(name = "DatasetRegistration", description = "The body of POST /api/datasets: what the owner's DATASET_PUBLISHED records, and the schema it hashed.")
  record DatasetRegistration(
      @Schema(example = "hospital-a/claims@1") String version,
      @Schema(description = "CIDv1 of the owner-signed manifest.") String manifestCid,
      long rows,
      int shards,
      @Schema(description = "The columns; their canonical JSON's hash under the consortium's suite (SHA-256 or SM3) must be the schemaHash on the ledger.") List<Column> schema) {}

  @Schema(name = "PolicyRevocation", description = "The body of POST /api/policies/revocations.")
  record PolicyRevocation(@Schema(example = "hospital-a/claims") String dataset) {}

  // ---- the web console's routes (ConsoleApi, docs/console.md) ----
  @Schema(name = "ConsoleSession", description = "Who the console talks for; org is null without TLS.")
  record ConsoleSession(boolean tls, @Schema(nullable = true) String org, List<String> roles, boolean operator,
      @Schema(description = "The log operator's Ed25519 key, hex: what checkpoints are signed with.") String logKey) {}

  @Schema(name = "ConsoleOrganisation")
  record ConsoleOrganisation(String org, String name, String role, @Schema(description = "Ed25519 public key, hex.") String signingKey,
      @Schema(description = "X25519 public key results are sealed to (HPKE), hex.") String encryptionKey) {}

  @Schema(name = "ConsoleOrganisations")
  record ConsoleOrganisations(List<ConsoleOrganisation> items) {}

  @Schema(name = "ConsoleUsageRow")
  record ConsoleUsageRow(String policy, String dataset, String consumer, long uses, @Schema(nullable = true) Long maxUses,
      String epsilonSpent, @Schema(nullable = true) String epsilonTotal) {}

  @Schema(name = "ConsoleUsage")
  record ConsoleUsage(List<ConsoleUsageRow> items) {}

  @Schema(name = "ConsoleJobDraft", description = "A job file's JSON form: consumer, purpose, engine, datasets and one of sql, train or model.",
      additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
  record ConsoleJobDraft(String consumer, String purpose, @Schema(example = "tee") String engine, List<String> datasets, String sql) {}

  @Schema(name = "ConsoleDecision")
  record ConsoleDecision(String dataset, @Schema(allowableValues = {"PERMIT", "DENY", "NEEDS_APPROVAL"}) String outcome, String summary,
      List<Map<String, Object>> findings) {}

  @Schema(name = "ConsoleExplanation")
  record ConsoleExplanation(boolean permitted, List<ConsoleDecision> decisions, List<String> missing) {}

  @Schema(name = "ConsoleDraft", description = "The statement to sign (its canonical JSON, RFC 8785) and, for a job, the request.")
  record ConsoleDraft(@Schema(nullable = true) JobRequest request, Statement statement) {}

  @Schema(name = "ConsolePolicyDraft")
  record ConsolePolicyDraft(String policy, String dataset, String owner, String hash, List<String> warnings,
      @Schema(type = "object", additionalProperties = Schema.AdditionalPropertiesValue.TRUE, description = "ODRL 2.2 JSON-LD.") Map<String, Object> odrl,
      Statement statement) {}

  @Schema(name = "ConsoleRevocationDraft")
  record ConsoleRevocationDraft(@Schema(example = "hospital-a/claims") String dataset, String reason) {}

  @Schema(name = "ConsoleApprovalDraft")
  record ConsoleApprovalDraft(String job, @Schema(example = "hospital-a/claims") String dataset, boolean approve, String note) {}

  @Schema(name = "PolicyDocument", description = "A policy's JSON text (docs/policy-language.md).", type = "object",
      additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
  record PolicyDocument() {}
}
