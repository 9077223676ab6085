package io.covenant.core.event;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import java.util.List;
import java.util.Optional;

/**
 * A fact recorded on the audit ledger. Events carry identifiers, hashes and counts only: never a data value, never a
 * key, never the text of a query (its hash stands in). Each type is versioned through {@link #VERSION}; a decoder
 * refuses versions it does not know rather than guessing.
 */
public sealed interface AuditEvent {
  int VERSION = 1;

  EventType type();

  Json.JObject body();

  /** The job this event belongs to, if any. */
  default Optional<JobId> job() {
    return Optional.empty();
  }

  /**
   * An organisation joins: its signing key (for its events) and its HPKE key (results are sealed to it). The role
   * {@link #OPERATOR} is special: the operator's signature is what authorises, denies, starts and commits jobs, so a
   * log has exactly one operator, registered before anyone else relies on it.
   */
  record OrgRegistered(OrgId org, String displayName, String role, VerifyingKey signingKey, HpkePublicKey encryptionKey)
      implements AuditEvent {
    public static final String OPERATOR = "operator";

    public boolean isOperator() {
      return OPERATOR.equals(role);
    }

    public EventType type() {
      return EventType.ORG_REGISTERED;
    }

    public Json.JObject body() {
      return Json.obj("org", org, "displayName", displayName, "role", role, "signingKey", signingKey.hex(), "encryptionKey", encryptionKey.hex());
    }
  }

  record DatasetPublished(DatasetVersion dataset, Cid manifest, long rows, int shards, Digest schemaHash) implements AuditEvent {
    public EventType type() {
      return EventType.DATASET_PUBLISHED;
    }

    public Json.JObject body() {
      return Json.obj("dataset", dataset, "manifest", manifest, "rows", rows, "shards", shards, "schemaHash", schemaHash.hex());
    }
  }

  record PolicyPublished(DatasetId dataset, String policyId, Digest policyHash) implements AuditEvent {
    public EventType type() {
      return EventType.POLICY_PUBLISHED;
    }

    public Json.JObject body() {
      return Json.obj("dataset", dataset, "policyId", policyId, "policyHash", policyHash.hex());
    }
  }

  record PolicyRevoked(DatasetId dataset, String policyId, Digest policyHash, String reason) implements AuditEvent {
    public EventType type() {
      return EventType.POLICY_REVOKED;
    }

    public Json.JObject body() {
      return Json.obj("dataset", dataset, "policyId", policyId, "policyHash", policyHash.hex(), "reason", reason);
    }
  }

  record JobSubmitted(JobId jobId, OrgId consumer, List<DatasetVersion> datasets, Engine engine, Purpose purpose, Digest computationHash)
      implements AuditEvent {
    public JobSubmitted {
      datasets = List.copyOf(datasets);
    }

    public EventType type() {
      return EventType.JOB_SUBMITTED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj(
          "job", jobId, "consumer", consumer, "datasets", datasets.stream().map(DatasetVersion::toString).toList(),
          "engine", engine.wireName(), "purpose", purpose, "computationHash", computationHash.hex());
    }
  }

  /** Which policy (by hash) authorised the use of which dataset version. */
  record PolicyBinding(DatasetVersion dataset, Digest policyHash) {
    Json.JObject toJson() {
      return Json.obj("dataset", dataset, "policyHash", policyHash.hex());
    }

    static PolicyBinding fromJson(Json.JObject o) {
      return new PolicyBinding(DatasetVersion.parse(o.string("dataset")), Digest.parse(o.string("policyHash")));
    }
  }

  record JobAuthorized(JobId jobId, List<PolicyBinding> policies) implements AuditEvent {
    public JobAuthorized {
      policies = List.copyOf(policies);
    }

    public EventType type() {
      return EventType.JOB_AUTHORIZED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "policies", policies.stream().map(PolicyBinding::toJson).toList());
    }
  }

  /** The rules that denied the job, as rule ids with their explanations. */
  record JobDenied(JobId jobId, List<String> reasons) implements AuditEvent {
    public JobDenied {
      reasons = List.copyOf(reasons);
    }

    public EventType type() {
      return EventType.JOB_DENIED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "reasons", reasons);
    }
  }

  record ApprovalGiven(JobId jobId, DatasetId dataset, boolean approved, String note) implements AuditEvent {
    public EventType type() {
      return EventType.APPROVAL_GIVEN;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "dataset", dataset, "approved", approved, "note", note);
    }
  }

  /** Recorded by the owner whose key service checked the evidence. {@code simulated} is never hidden. */
  record AttestationVerified(JobId jobId, Measurement measurement, String provider, boolean simulated, Digest evidenceHash)
      implements AuditEvent {
    public EventType type() {
      return EventType.ATTESTATION_VERIFIED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "measurement", measurement, "provider", provider, "simulated", simulated, "evidenceHash", evidenceHash.hex());
    }
  }

  /** An owner released a dataset key, sealed to the enclave key whose fingerprint is given. */
  record KeyReleased(JobId jobId, DatasetVersion dataset, Measurement measurement, boolean simulated, Digest recipientKey)
      implements AuditEvent {
    public EventType type() {
      return EventType.KEY_RELEASED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "dataset", dataset, "measurement", measurement, "simulated", simulated, "recipientKey", recipientKey.hex());
    }
  }

  record ComputationStarted(JobId jobId, Engine engine, Optional<Measurement> measurement) implements AuditEvent {
    public EventType type() {
      return EventType.COMPUTATION_STARTED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "engine", engine.wireName(), "measurement", measurement.map(Measurement::hex).orElse(null));
    }
  }

  /**
   * The result exists. {@code resultHash} is the SHA-256 of the sealed result (the ciphertext the consumer
   * receives), so the ledger offers no way to confirm a guessed plaintext.
   */
  record ResultCommitted(
      JobId jobId, Digest resultHash, Engine engine, Optional<Measurement> measurement, boolean simulated,
      List<Cid> inputManifests, long outputRows, long suppressedGroups)
      implements AuditEvent {
    public ResultCommitted {
      inputManifests = List.copyOf(inputManifests);
    }

    public EventType type() {
      return EventType.RESULT_COMMITTED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj(
          "job", jobId, "resultHash", resultHash.hex(), "engine", engine.wireName(),
          "measurement", measurement.map(Measurement::hex).orElse(null), "simulated", simulated,
          "inputManifests", inputManifests.stream().map(Cid::toString).toList(),
          "outputRows", outputRows, "suppressedGroups", suppressedGroups);
    }
  }

  record JobFailed(JobId jobId, String stage, String reason) implements AuditEvent {
    public EventType type() {
      return EventType.JOB_FAILED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "stage", stage, "reason", reason);
    }
  }

  /** Usage units credited to a contributing organisation for a job (licensing and revenue share). */
  record UsageSettled(JobId jobId, DatasetId dataset, OrgId beneficiary, long units) implements AuditEvent {
    public EventType type() {
      return EventType.USAGE_SETTLED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "dataset", dataset, "beneficiary", beneficiary, "units", units);
    }
  }

  static AuditEvent decode(EventType type, int version, Json.JObject b) {
    if (version != VERSION) throw new MalformedInputException("event " + type + " has version " + version + "; this build reads version " + VERSION);
    return switch (type) {
      case ORG_REGISTERED -> new OrgRegistered(
          new OrgId(b.string("org")), b.string("displayName"), b.string("role"),
          VerifyingKey.parse(b.string("signingKey")), HpkePublicKey.parse(b.string("encryptionKey")));
      case DATASET_PUBLISHED -> new DatasetPublished(
          DatasetVersion.parse(b.string("dataset")), Cid.parse(b.string("manifest")), b.number("rows"),
          (int) b.number("shards"), Digest.parse(b.string("schemaHash")));
      case POLICY_PUBLISHED -> new PolicyPublished(DatasetId.parse(b.string("dataset")), b.string("policyId"), Digest.parse(b.string("policyHash")));
      case POLICY_REVOKED -> new PolicyRevoked(
          DatasetId.parse(b.string("dataset")), b.string("policyId"), Digest.parse(b.string("policyHash")), b.string("reason"));
      case JOB_SUBMITTED -> new JobSubmitted(
          new JobId(b.string("job")), new OrgId(b.string("consumer")),
          b.strings("datasets").stream().map(DatasetVersion::parse).toList(), Engine.parse(b.string("engine")),
          new Purpose(b.string("purpose")), Digest.parse(b.string("computationHash")));
      case JOB_AUTHORIZED -> new JobAuthorized(
          new JobId(b.string("job")), b.objects("policies").stream().map(PolicyBinding::fromJson).toList());
      case JOB_DENIED -> new JobDenied(new JobId(b.string("job")), b.strings("reasons"));
      case APPROVAL_GIVEN -> new ApprovalGiven(
          new JobId(b.string("job")), DatasetId.parse(b.string("dataset")), b.bool("approved"), b.string("note"));
      case ATTESTATION_VERIFIED -> new AttestationVerified(
          new JobId(b.string("job")), new Measurement(b.string("measurement")), b.string("provider"), b.bool("simulated"),
          Digest.parse(b.string("evidenceHash")));
      case KEY_RELEASED -> new KeyReleased(
          new JobId(b.string("job")), DatasetVersion.parse(b.string("dataset")), new Measurement(b.string("measurement")),
          b.bool("simulated"), Digest.parse(b.string("recipientKey")));
      case COMPUTATION_STARTED -> new ComputationStarted(
          new JobId(b.string("job")), Engine.parse(b.string("engine")), optionalMeasurement(b));
      case RESULT_COMMITTED -> new ResultCommitted(
          new JobId(b.string("job")), Digest.parse(b.string("resultHash")), Engine.parse(b.string("engine")),
          optionalMeasurement(b), b.bool("simulated"), b.strings("inputManifests").stream().map(Cid::parse).toList(),
          b.number("outputRows"), b.number("suppressedGroups"));
      case JOB_FAILED -> new JobFailed(new JobId(b.string("job")), b.string("stage"), b.string("reason"));
      case USAGE_SETTLED -> new UsageSettled(
          new JobId(b.string("job")), DatasetId.parse(b.string("dataset")), new OrgId(b.string("beneficiary")), b.number("units"));
    };
  }

  private static Optional<Measurement> optionalMeasurement(Json.JObject b) {
    return b.has("measurement") ? Optional.of(new Measurement(b.string("measurement"))) : Optional.empty();
  }
}
