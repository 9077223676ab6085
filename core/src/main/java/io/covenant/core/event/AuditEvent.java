package io.covenant.core.event;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.HpkePublicKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.crypto.Signature;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.identity.OrgCertificate;
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
 * key, never the text of a query (its hash stands in). Each event is versioned ({@link #version()}, the signed
 * statement's {@code v}): version 1 for every type, version 2 for an ORG_REGISTERED that carries a certificate. A
 * decoder refuses versions it does not know rather than guessing, and an event re-encodes with the version it was
 * signed with, so logs written before a new version still verify.
 */
public sealed interface AuditEvent {
  int VERSION = 1;

  EventType type();

  /** The version this event's body is encoded in; the signed statement records it. */
  default int version() {
    return VERSION;
  }

  Json.JObject body();

  /** The job this event belongs to, if any. */
  default Optional<JobId> job() {
    return Optional.empty();
  }

  /**
   * An organisation joins: its signing key (for its events) and its HPKE key (results are sealed to it). The role
   * {@link #OPERATOR} is special: the operator's signature is what authorises, denies, starts and commits jobs, so a
   * log has exactly one operator, registered before anyone else relies on it.
   *
   * <p>Version 2 adds {@code certificate}: the organisation's X.509 certificate from the consortium's certificate
   * authority (DER, base64), binding its name, roles and signing key. Where the auditor pins a consortium root, a
   * registration without a certificate that chains to it fails verification. Version 1 (no certificate) is what logs
   * written before certificates hold.
   */
  record OrgRegistered(
      OrgId org, String displayName, String role, VerifyingKey signingKey, HpkePublicKey encryptionKey, Optional<OrgCertificate> certificate)
      implements AuditEvent {
    public static final String OPERATOR = "operator";

    public OrgRegistered {
      certificate = certificate == null ? Optional.empty() : certificate;
    }

    /** A registration without a certificate (version 1), as before a consortium root existed. */
    public OrgRegistered(OrgId org, String displayName, String role, VerifyingKey signingKey, HpkePublicKey encryptionKey) {
      this(org, displayName, role, signingKey, encryptionKey, Optional.empty());
    }

    public boolean isOperator() {
      return OPERATOR.equals(role);
    }

    /** The roles this registration claims: its comma-separated {@code role}. */
    public List<String> roles() {
      return List.of(role.split(","));
    }

    public EventType type() {
      return EventType.ORG_REGISTERED;
    }

    public int version() {
      return certificate.isPresent() ? 2 : 1;
    }

    public Json.JObject body() {
      // Version 1 has no certificate key at all (not even null): its canonical bytes, and so old signatures, stay as they were.
      return certificate.isEmpty()
          ? Json.obj("org", org, "displayName", displayName, "role", role, "signingKey", signingKey.hex(), "encryptionKey", encryptionKey.hex())
          : Json.obj(
              "org", org, "displayName", displayName, "role", role, "signingKey", signingKey.hex(), "encryptionKey", encryptionKey.hex(),
              "certificate", certificate.get().base64());
    }
  }

  /**
   * The consortium's certificate authority revokes an organisation's certificate (named by its SHA-256) from this
   * entry on: every later event signed by the organisation fails verification, naming this entry. The decision is the
   * authority's, not the operator's: {@code caSignature} is the consortium root's signature over
   * {@link io.covenant.core.identity.ConsortiumRoot#revocationStatement}, which the verifier checks against the pinned
   * root; the operator only appends it (and signs the entry as the one who did).
   */
  record OrgRevoked(OrgId org, Digest certificate, String reason, Signature caSignature) implements AuditEvent {
    public EventType type() {
      return EventType.ORG_REVOKED;
    }

    public Json.JObject body() {
      return Json.obj("org", org, "certificate", certificate.hex(), "reason", reason, "caSignature", caSignature.hex());
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
    int newest = type == EventType.ORG_REGISTERED ? 2 : VERSION;
    if (version < 1 || version > newest) {
      throw new MalformedInputException("event " + type + " has version " + version + "; this build reads versions 1 to " + newest);
    }
    return switch (type) {
      case ORG_REGISTERED -> {
        if (version == 2 && !b.has("certificate")) throw new MalformedInputException("ORG_REGISTERED version 2 must carry a certificate");
        if (version == 1 && b.has("certificate")) throw new MalformedInputException("ORG_REGISTERED version 1 carries no certificate");
        yield new OrgRegistered(
            new OrgId(b.string("org")), b.string("displayName"), b.string("role"),
            VerifyingKey.parse(b.string("signingKey")), HpkePublicKey.parse(b.string("encryptionKey")),
            version == 2 ? Optional.of(OrgCertificate.parse(b.string("certificate"))) : Optional.empty());
      }
      case ORG_REVOKED -> new OrgRevoked(
          new OrgId(b.string("org")), Digest.parse(b.string("certificate")), b.string("reason"), Signature.parse(b.string("caSignature")));
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
