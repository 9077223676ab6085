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
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A fact recorded on the audit ledger. Events carry identifiers, hashes and counts only: never a data value, never a
 * key, never the text of a query (its hash stands in).
 *
 * <p>Versions. Every event is signed with its version ({@code "v"} in the signed statement, see {@link SignedEvent}),
 * and a type's encoding never changes within a version, so an entry signed years ago re-encodes to the same bytes
 * and its signature still verifies. A type that gains fields gets a new version: {@link #version()} says which one an
 * event is encoded as, and {@link #decode} reads every version of every type it knows and refuses the others rather
 * than guessing. Today: every type is at {@link #VERSION} 1, except POLICY_PUBLISHED and JOB_AUTHORIZED, which are at
 * version 2 when they carry the policy's limits or the job's debits (a version-1 entry of either is a legacy entry
 * written before those fields existed, and decodes with them absent), ORG_REGISTERED, which is at version 2 when it
 * carries the organisation's certificate, and COMPUTATION_STARTED, which is at version 2 when it says whether the
 * enclave is simulated, and USAGE_SETTLED, which is at version 2 when it carries a licensed {@link Settlement}, and KEY_RELEASED, which is at version 2 when it carries its
 * {@link Freshness}.
 */
public sealed interface AuditEvent {
  /** The first version, which every event type has. */
  int VERSION = 1;

  /** The version of POLICY_PUBLISHED with {@link PolicyLimits} and of JOB_AUTHORIZED with a {@link Debit} per binding. */
  int VERSION_WITH_ACCOUNTING = 2;

  /** The version of COMPUTATION_STARTED that says whether the engine's enclave is simulated. */
  int VERSION_WITH_SIMULATION_LABEL = 2;

  EventType type();

  /** The encoding version of this event, signed with it. */
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

  /**
   * The limits of a published policy that anyone can check against the ledger's debits: the policy's text stays off
   * the ledger, these numbers go on it, so an auditor can tell whether a policy was ever overspent without reading it.
   * Decimals travel as plain-notation strings ({@code "0.5"}), so their canonical encoding cannot drift.
   *
   * @param maxUses computations allowed under the policy, by every consumer together, if limited
   * @param epsilonPerQuery privacy budget each query spends, if the policy has a budget
   * @param epsilonTotal privacy budget each consumer may spend under the policy over its life, if it has a budget
   * @param deltaPerQuery the delta each query spends, if the budget is spent with the gaussian mechanism ((ε, δ)-DP);
   *     over the policy's life the delta spent is at most (epsilonTotal / epsilonPerQuery) × deltaPerQuery
   */
  record PolicyLimits(OptionalLong maxUses, Optional<BigDecimal> epsilonPerQuery, Optional<BigDecimal> epsilonTotal, Optional<BigDecimal> deltaPerQuery) {
    /** Limits of a policy without a delta (no budget, or the Laplace mechanism). */
    public PolicyLimits(OptionalLong maxUses, Optional<BigDecimal> epsilonPerQuery, Optional<BigDecimal> epsilonTotal) {
      this(maxUses, epsilonPerQuery, epsilonTotal, Optional.empty());
    }

    public PolicyLimits {
      if (maxUses == null || epsilonPerQuery == null || epsilonTotal == null) throw new MalformedInputException("policy limits need all three fields (each may be absent)");
      deltaPerQuery = deltaPerQuery == null ? Optional.empty() : deltaPerQuery.map(d -> positive("deltaPerQuery", d));
      if (deltaPerQuery.isPresent() && epsilonPerQuery.isEmpty()) throw new MalformedInputException("a policy's deltaPerQuery comes with a privacy budget");
      if (maxUses.isPresent() && maxUses.getAsLong() < 1) throw new MalformedInputException("a policy's maxUses is 1 or more, not " + maxUses.getAsLong());
      if (epsilonPerQuery.isPresent() != epsilonTotal.isPresent()) {
        throw new MalformedInputException("a privacy budget has both epsilonPerQuery and epsilonTotal, or neither");
      }
      epsilonPerQuery = epsilonPerQuery.map(e -> positive("epsilonPerQuery", e));
      epsilonTotal = epsilonTotal.map(e -> positive("epsilonTotal", e));
    }

    private static BigDecimal positive(String what, BigDecimal e) {
      if (e.signum() <= 0) throw new MalformedInputException("a policy's " + what + " is above 0, not " + e.toPlainString());
      return Decimals.canonical(e);
    }

    Json.JObject toJson() {
      Json.JObject o = Json.obj(
          "maxUses", maxUses.isPresent() ? maxUses.getAsLong() : null,
          "epsilonPerQuery", epsilonPerQuery.map(Decimals::text).orElse(null),
          "epsilonTotal", epsilonTotal.map(Decimals::text).orElse(null));
      if (deltaPerQuery.isEmpty()) return o; // as before delta existed, so earlier entries keep their bytes
      java.util.Map<String, Json> members = new java.util.LinkedHashMap<>(o.members());
      members.put("deltaPerQuery", Json.from(Decimals.text(deltaPerQuery.get())));
      return new Json.JObject(members);
    }

    static PolicyLimits fromJson(Json.JObject o) {
      return new PolicyLimits(
          o.has("maxUses") ? OptionalLong.of(o.number("maxUses")) : OptionalLong.empty(),
          o.has("epsilonPerQuery") ? Optional.of(Decimals.parse("epsilonPerQuery", o.string("epsilonPerQuery"))) : Optional.empty(),
          o.has("epsilonTotal") ? Optional.of(Decimals.parse("epsilonTotal", o.string("epsilonTotal"))) : Optional.empty(),
          o.has("deltaPerQuery") ? Optional.of(Decimals.parse("deltaPerQuery", o.string("deltaPerQuery"))) : Optional.empty());
    }
  }

  /**
   * An owner published a policy: its hash, and (from version 2) its limits. {@code limits} is empty only for a legacy
   * entry, written before limits were recorded; such a policy's spending cannot be audited from the ledger alone.
   */
  record PolicyPublished(DatasetId dataset, String policyId, Digest policyHash, Optional<PolicyLimits> limits) implements AuditEvent {
    public PolicyPublished {
      if (limits == null) throw new MalformedInputException("a published policy's limits are given, or empty for a legacy entry");
    }

    /** A legacy (version 1) publication, without limits. */
    public PolicyPublished(DatasetId dataset, String policyId, Digest policyHash) {
      this(dataset, policyId, policyHash, Optional.empty());
    }

    public EventType type() {
      return EventType.POLICY_PUBLISHED;
    }

    public int version() {
      return limits.isPresent() ? VERSION_WITH_ACCOUNTING : VERSION;
    }

    public Json.JObject body() {
      Json.JObject b = Json.obj("dataset", dataset, "policyId", policyId, "policyHash", policyHash.hex());
      return limits.map(l -> Json.obj("dataset", dataset, "policyId", policyId, "policyHash", policyHash.hex(), "limits", l.toJson())).orElse(b);
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

  /**
   * What one job spends under one policy: {@code uses} computations (1 per job and dataset) and {@code epsilon} of
   * the consumer's privacy budget (0 under a policy without one).
   */
  record Debit(long uses, BigDecimal epsilon, BigDecimal delta) {
    public Debit {
      if (uses < 0) throw new MalformedInputException("a debit of " + uses + " uses is not possible; uses are 0 or more");
      if (epsilon == null || epsilon.signum() < 0) throw new MalformedInputException("a debit's epsilon is 0 or more");
      if (delta == null || delta.signum() < 0) throw new MalformedInputException("a debit's delta is 0 or more");
      epsilon = Decimals.canonical(epsilon);
      delta = Decimals.canonical(delta);
    }

    /** A debit without delta (no budget, or the Laplace mechanism). */
    public Debit(long uses, BigDecimal epsilon) {
      this(uses, epsilon, BigDecimal.ZERO);
    }

    /** One use and {@code epsilon}: what authorising one job under a policy spends. */
    public static Debit oneUse(BigDecimal epsilon) {
      return new Debit(1, epsilon);
    }

    /** One use, {@code epsilon} and {@code delta}: a job under a policy whose budget uses the gaussian mechanism. */
    public static Debit oneUse(BigDecimal epsilon, BigDecimal delta) {
      return new Debit(1, epsilon, delta);
    }
  }

  /**
   * Which policy (by hash) authorised the use of which dataset version, and (from JOB_AUTHORIZED version 2) what the
   * job spends under it. {@code debit} is empty only in a legacy entry.
   */
  record PolicyBinding(DatasetVersion dataset, Digest policyHash, Optional<Debit> debit) {
    public PolicyBinding {
      if (dataset == null || policyHash == null || debit == null) throw new MalformedInputException("a policy binding needs a dataset, a policy hash and a debit (empty only in a legacy entry)");
    }

    /** A legacy binding, without a debit. */
    public PolicyBinding(DatasetVersion dataset, Digest policyHash) {
      this(dataset, policyHash, Optional.empty());
    }

    public PolicyBinding(DatasetVersion dataset, Digest policyHash, Debit debit) {
      this(dataset, policyHash, Optional.of(debit));
    }

    Json.JObject toJson() {
      return debit
          .map(d -> d.delta().signum() == 0
              ? Json.obj("dataset", dataset, "policyHash", policyHash.hex(), "uses", d.uses(), "epsilon", Decimals.text(d.epsilon()))
              : Json.obj("dataset", dataset, "policyHash", policyHash.hex(), "uses", d.uses(), "epsilon", Decimals.text(d.epsilon()),
                  "delta", Decimals.text(d.delta())))
          .orElse(Json.obj("dataset", dataset, "policyHash", policyHash.hex()));
    }

    static PolicyBinding fromJson(Json.JObject o, boolean withDebit) {
      DatasetVersion dataset = DatasetVersion.parse(o.string("dataset"));
      Digest hash = Digest.parse(o.string("policyHash"));
      if (!withDebit) {
        if (o.has("uses") || o.has("epsilon") || o.has("delta")) throw new MalformedInputException("a version-1 JOB_AUTHORIZED carries no debits, but the binding of " + dataset + " has one");
        return new PolicyBinding(dataset, hash);
      }
      return new PolicyBinding(dataset, hash, new Debit(o.number("uses"), Decimals.parse("epsilon", o.string("epsilon")),
          o.has("delta") ? Decimals.parse("delta", o.string("delta")) : BigDecimal.ZERO));
    }
  }

  /**
   * The operator authorised a job: each dataset version bound to the policy that allows it, and (from version 2) what
   * the job spends under each. Either every binding carries a debit or, in a legacy entry, none does.
   */
  record JobAuthorized(JobId jobId, List<PolicyBinding> policies) implements AuditEvent {
    public JobAuthorized {
      policies = List.copyOf(policies);
      long withDebit = policies.stream().filter(b -> b.debit().isPresent()).count();
      if (withDebit != 0 && withDebit != policies.size()) {
        throw new MalformedInputException("JOB_AUTHORIZED of " + jobId + " gives a debit for some datasets and not others; give one for every dataset");
      }
    }

    /** Whether this entry records its debits (version 2); a legacy entry does not. */
    public boolean recordsDebits() {
      return !policies.isEmpty() && policies.get(0).debit().isPresent();
    }

    public EventType type() {
      return EventType.JOB_AUTHORIZED;
    }

    public int version() {
      return recordsDebits() ? VERSION_WITH_ACCOUNTING : VERSION;
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

  /**
   * An owner released a dataset key, sealed to the enclave key whose fingerprint is given.
   *
   * <p>Version 2 adds {@code freshness}: the JOB_AUTHORIZED entry the release was anchored to, the attestation nonce
   * the evidence carried (derived from that entry's leaf hash and the recipient key), and the window, in ledger
   * entries, the owner allowed between the authorisation and this record. {@code verify} recomputes the nonce from the
   * log and checks this entry stands within the window. Version 1 (no freshness) is what logs written before
   * nonce-bound attestation hold.
   */
  record KeyReleased(JobId jobId, DatasetVersion dataset, Measurement measurement, boolean simulated, Digest recipientKey, Optional<Freshness> freshness)
      implements AuditEvent {
    /** The version of KEY_RELEASED that carries its {@link Freshness}. */
    public static final int VERSION_WITH_FRESHNESS = 2;

    public KeyReleased {
      freshness = freshness == null ? Optional.empty() : freshness;
    }

    /** A release without freshness (version 1), as recorded before nonce-bound attestation. */
    public KeyReleased(JobId jobId, DatasetVersion dataset, Measurement measurement, boolean simulated, Digest recipientKey) {
      this(jobId, dataset, measurement, simulated, recipientKey, Optional.empty());
    }

    public EventType type() {
      return EventType.KEY_RELEASED;
    }

    @Override
    public int version() {
      return freshness.isPresent() ? VERSION_WITH_FRESHNESS : VERSION;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      if (freshness.isPresent()) {
        return Json.obj("job", jobId, "dataset", dataset, "measurement", measurement, "simulated", simulated, "recipientKey", recipientKey.hex(),
            "freshness", freshness.get().toJson());
      }
      return Json.obj("job", jobId, "dataset", dataset, "measurement", measurement, "simulated", simulated, "recipientKey", recipientKey.hex());
    }
  }

  /**
   * What a key release was fresh against: the index of the job's JOB_AUTHORIZED entry, the nonce the evidence carried,
   * and the most entries the owner allowed between that authorisation and its KEY_RELEASED.
   */
  record Freshness(long authorisation, Digest nonce, long windowEntries) {
    public Freshness {
      if (nonce == null) throw new MalformedInputException("a key release's freshness needs the nonce its evidence carried");
      if (authorisation < 0) throw new MalformedInputException("a key release's authorisation entry must not be negative, got " + authorisation);
      if (windowEntries < 1) throw new MalformedInputException("a key release's freshness window must be at least 1 entry, got " + windowEntries);
    }

    public Json.JObject toJson() {
      return Json.obj("authorisation", authorisation, "nonce", nonce.hex(), "windowEntries", windowEntries);
    }

    static Freshness fromJson(Json.JObject o) {
      return new Freshness(o.number("authorisation"), Digest.parse(o.string("nonce")), o.number("windowEntries"));
    }
  }

  /**
   * An owner's node fed its dataset into a multi-party computation: it decrypted the dataset with its own key, in its
   * own process, and secret-shared what the job needs into the committee. Signed by the owner, it is the multi-party
   * counterpart of KEY_RELEASED: no key left the owner, and the record holds counts and hashes only, never a value.
   *
   * @param rows the dataset rows the owner's node read (after its consent exclusions)
   * @param sharedValues how many ring elements the node secret-shared (public: every party learns the lengths)
   * @param committee the organisations that held the shares, in party order
   * @param security the adversary the computation resisted: semi-honest (the ring of replicated shares; not written in
   *     the body, so records kept before the option existed read the same) or malicious (SPDZ, written as
   *     {@code "security": "malicious"}), so that an auditor sees which mode ran
   */
  record InputShared(JobId jobId, DatasetVersion dataset, long rows, long sharedValues, List<OrgId> committee,
      io.covenant.core.job.MpcSecurity security) implements AuditEvent {
    public InputShared {
      committee = List.copyOf(committee);
      if (security == null) security = io.covenant.core.job.MpcSecurity.SEMI_HONEST;
    }

    /** An input shared in the default, semi-honest mode. */
    public InputShared(JobId jobId, DatasetVersion dataset, long rows, long sharedValues, List<OrgId> committee) {
      this(jobId, dataset, rows, sharedValues, committee, io.covenant.core.job.MpcSecurity.SEMI_HONEST);
    }

    public EventType type() {
      return EventType.INPUT_SHARED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      if (security == io.covenant.core.job.MpcSecurity.MALICIOUS) {
        return Json.obj("job", jobId, "dataset", dataset, "rows", rows, "sharedValues", sharedValues,
            "committee", committee.stream().map(OrgId::value).toList(), "security", security.wireName());
      }
      return Json.obj("job", jobId, "dataset", dataset, "rows", rows, "sharedValues", sharedValues,
          "committee", committee.stream().map(OrgId::value).toList());
    }
  }

  /**
   * A homomorphic-encryption job's ciphertext, by its SHA-256, recorded by the organisation that made it: the consumer
   * records its encrypted model ({@link Role#MODEL}) or its public key for an aggregation ({@link Role#KEYS}); a data
   * owner records the encrypted scores it computed ({@link Role#SCORES}) or its encrypted aggregate ({@link Role#INPUT})
   * for one of its datasets. The HE counterpart of KEY_RELEASED and INPUT_SHARED: no key left the owner, and the record
   * holds a hash and a count, never a value. Whoever later holds a ciphertext checks it against this record.
   *
   * @param dataset the owner's dataset, for SCORES and INPUT; empty for the consumer's MODEL and KEYS
   * @param rows rows the owner read (after its consent exclusions and row limit); 0 for the consumer's records
   */
  record CiphertextRecorded(JobId jobId, Role role, Optional<DatasetVersion> dataset, Digest ciphertextHash, long rows) implements AuditEvent {
    /** What the ciphertext is. */
    public enum Role {
      MODEL, KEYS, SCORES, INPUT;

      public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
      }

      public static Role parse(String text) {
        for (Role r : values()) if (r.wireName().equals(text)) return r;
        throw new MalformedInputException("ciphertext role '" + text + "' is not known: use model, keys, scores or input");
      }

      /** Whether the consumer records it (else a data owner does, for one of its datasets). */
      public boolean consumers() {
        return this == MODEL || this == KEYS;
      }
    }

    public CiphertextRecorded {
      if (jobId == null || role == null || dataset == null || ciphertextHash == null) throw new MalformedInputException("CIPHERTEXT_RECORDED needs a job, role, dataset and hash");
      if (role.consumers() == dataset.isPresent()) {
        throw new MalformedInputException("CIPHERTEXT_RECORDED of " + role.wireName() + (role.consumers() ? " names no dataset" : " names the owner's dataset"));
      }
      if (rows < 0) throw new MalformedInputException("CIPHERTEXT_RECORDED counts " + rows + " rows; a count is never negative");
    }

    public EventType type() {
      return EventType.CIPHERTEXT_RECORDED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "role", role.wireName(), "dataset", dataset.map(DatasetVersion::toString).orElse(null),
          "ciphertextHash", ciphertextHash.hex(), "rows", rows);
    }
  }

  /**
   * An owner's key service refused to release a dataset's key for a job, and why: {@code reason} is the rule (e.g.
   * {@code uses-exhausted}), {@code explanation} the sentence the job fails with. Signed by the owner, so a refusal is
   * the owner's own statement, not the coordinator's account of it.
   */
  record KeyReleaseRefused(JobId jobId, DatasetVersion dataset, String reason, String explanation) implements AuditEvent {
    public EventType type() {
      return EventType.KEY_RELEASE_REFUSED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "dataset", dataset, "reason", reason, "explanation", explanation);
    }
  }

  /**
   * The operator dispatched the job to an engine. From version 2 it says whether that engine's enclave is simulated
   * ({@code simulated} present; {@code false} for an engine with no enclave), so a simulated run is labelled from its
   * first record; a version-1 entry is a legacy entry written before the label existed, and decodes with it absent.
   */
  record ComputationStarted(JobId jobId, Engine engine, Optional<Measurement> measurement, Optional<Boolean> simulated)
      implements AuditEvent {
    /** A legacy (version 1) entry, without the simulation label. */
    public ComputationStarted(JobId jobId, Engine engine, Optional<Measurement> measurement) {
      this(jobId, engine, measurement, Optional.empty());
    }

    /** A start labelled with whether the engine's enclave is simulated (version 2). */
    public ComputationStarted(JobId jobId, Engine engine, Optional<Measurement> measurement, boolean simulated) {
      this(jobId, engine, measurement, Optional.of(simulated));
    }

    public EventType type() {
      return EventType.COMPUTATION_STARTED;
    }

    @Override
    public int version() {
      return simulated.isPresent() ? VERSION_WITH_SIMULATION_LABEL : VERSION;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      if (simulated.isEmpty()) {
        return Json.obj("job", jobId, "engine", engine.wireName(), "measurement", measurement.map(Measurement::hex).orElse(null));
      }
      return Json.obj("job", jobId, "engine", engine.wireName(), "measurement", measurement.map(Measurement::hex).orElse(null),
          "simulated", simulated.get());
    }
  }

  /**
   * The result exists. {@code resultHash} is the SHA-256 of the sealed result (the ciphertext the consumer
   * receives), so the ledger offers no way to confirm a guessed plaintext.
   */
  /**
   * The result of a job, committed by its hash. {@code modelHash}, for a model training, is the SHA-256 of the model
   * bytes sealed inside the result: whoever later holds the model can show which job produced it. Written only when
   * present, so results of queries keep the form (and signatures) they had before models existed.
   */
  record ResultCommitted(
      JobId jobId, Digest resultHash, Engine engine, Optional<Measurement> measurement, boolean simulated,
      List<Cid> inputManifests, long outputRows, long suppressedGroups, Optional<Digest> modelHash)
      implements AuditEvent {
    public ResultCommitted {
      inputManifests = List.copyOf(inputManifests);
      modelHash = modelHash == null ? Optional.empty() : modelHash;
    }

    /** The result of a query (no model). */
    public ResultCommitted(
        JobId jobId, Digest resultHash, Engine engine, Optional<Measurement> measurement, boolean simulated,
        List<Cid> inputManifests, long outputRows, long suppressedGroups) {
      this(jobId, resultHash, engine, measurement, simulated, inputManifests, outputRows, suppressedGroups, Optional.empty());
    }

    public EventType type() {
      return EventType.RESULT_COMMITTED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      Json.JObject body = Json.obj(
          "job", jobId, "resultHash", resultHash.hex(), "engine", engine.wireName(),
          "measurement", measurement.map(Measurement::hex).orElse(null), "simulated", simulated,
          "inputManifests", inputManifests.stream().map(Cid::toString).toList(),
          "outputRows", outputRows, "suppressedGroups", suppressedGroups);
      if (modelHash.isEmpty()) return body;
      java.util.Map<String, Json> members = new java.util.TreeMap<>(body.members());
      members.put("modelHash", Json.from(modelHash.get().hex()));
      return new Json.JObject(members);
    }
  }

  /**
   * One completed round of a federated job ({@code engine=fl}), signed by the aggregator (the operator): whose masked
   * updates make up the round's sum, which hospitals dropped out mid-round (their links failed) and which declined
   * (their owner's node refused, e.g. for its privacy budget), the SHA-256 of the new global model and of the
   * aggregate the aggregator unmasked. Hashes and names only: no update, no parameter, no row count.
   *
   * @param round the round's number, from 1, one more than the job's previous FL_ROUND_COMPLETED
   */
  record FlRoundCompleted(JobId jobId, int round, List<OrgId> participants, List<OrgId> dropped, List<OrgId> declined, Digest globalModelHash,
      Digest aggregateHash) implements AuditEvent {
    public FlRoundCompleted {
      if (jobId == null || globalModelHash == null || aggregateHash == null) throw new MalformedInputException("a federated round names its job and both hashes");
      participants = List.copyOf(participants);
      dropped = List.copyOf(dropped);
      declined = List.copyOf(declined);
    }

    public EventType type() {
      return EventType.FL_ROUND_COMPLETED;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return Json.obj("job", jobId, "round", (long) round, "participants", participants.stream().map(OrgId::value).toList(),
          "dropped", dropped.stream().map(OrgId::value).toList(), "declined", declined.stream().map(OrgId::value).toList(),
          "globalModelHash", globalModelHash.hex(), "aggregateHash", aggregateHash.hex());
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

  /**
   * What a licensed job owes and how it is split (USAGE_SETTLED version 2): the licence it was settled under (by the
   * hash LICENCE_PUBLISHED carries), the amount in integer minor units, the maker's part and the owners' part (which sum
   * exactly to the amount), how many owners contributed, how many records and vehicle-months were used, and the root of
   * the RFC 9162 Merkle tree whose leaves are the owners' individual amounts (each owner proves its own leaf; nobody
   * learns another's from the ledger).
   */
  record Settlement(Digest licence, long amount, long makerAmount, long ownersAmount, long owners, long records, long vehicleMonths, Digest ownersRoot) {
    public Settlement {
      if (licence == null || ownersRoot == null) throw new MalformedInputException("a settlement names its licence and the root of its owners' amounts");
    }

    Json.JObject toJson() {
      return Json.obj("licence", licence.hex(), "amount", amount, "makerAmount", makerAmount, "ownersAmount", ownersAmount, "owners", owners,
          "records", records, "vehicleMonths", vehicleMonths, "ownersRoot", ownersRoot.hex());
    }

    static Settlement fromJson(Json.JObject o) {
      return new Settlement(Digest.parse(o.string("licence")), o.number("amount"), o.number("makerAmount"), o.number("ownersAmount"),
          o.number("owners"), o.number("records"), o.number("vehicleMonths"), Digest.parse(o.string("ownersRoot")));
    }
  }

  /**
   * Usage credited for a job (licensing and revenue share): {@code units} used of {@code dataset}, credited to
   * {@code beneficiary}. From version 2 it carries the licensed {@link Settlement}: the amount and its split between
   * the beneficiary (the maker) and the contributing owners; {@code units} is then the records used.
   */
  record UsageSettled(JobId jobId, DatasetId dataset, OrgId beneficiary, long units, Optional<Settlement> settlement) implements AuditEvent {
    public UsageSettled {
      settlement = settlement == null ? Optional.empty() : settlement;
    }

    /** A version-1 entry: units only, no amount. */
    public UsageSettled(JobId jobId, DatasetId dataset, OrgId beneficiary, long units) {
      this(jobId, dataset, beneficiary, units, Optional.empty());
    }

    public EventType type() {
      return EventType.USAGE_SETTLED;
    }

    public int version() {
      return settlement.isPresent() ? 2 : VERSION;
    }

    public Optional<JobId> job() {
      return Optional.of(jobId);
    }

    public Json.JObject body() {
      return settlement
          .map(st -> Json.obj("job", jobId, "dataset", dataset, "beneficiary", beneficiary, "units", units, "settlement", st.toJson()))
          .orElse(Json.obj("job", jobId, "dataset", dataset, "beneficiary", beneficiary, "units", units));
    }
  }

  /**
   * A data owner (a vehicle maker, custodian of its owners' consents) records that a data subject granted or withdrew
   * consent for one of its datasets. Only the SHA-256 of the subject-signed consent document goes on the ledger: no
   * owner identity, no vehicle number, not even whether it is a grant or a withdrawal. The subject keeps the document
   * and proves its line from this entry.
   */
  record ConsentRecorded(DatasetId dataset, Digest consent) implements AuditEvent {
    public EventType type() {
      return EventType.CONSENT_RECORDED;
    }

    public Json.JObject body() {
      return Json.obj("dataset", dataset, "consent", consent.hex());
    }
  }

  /**
   * A data owner licenses a dataset to a consumer: the policy (by hash) that governs the use, and the price terms that
   * every settlement under it must follow, so that {@code verify} recomputes each settled amount. Prices are integer
   * minor units of {@code currency}; the maker keeps {@code makerShareBasisPoints} / 10,000 of each amount (rounded
   * down) and the owners share the rest pro rata to the records each contributed.
   */
  record LicencePublished(
      DatasetId dataset, String licenceId, Digest licenceHash, Digest policyHash, OrgId consumer, String currency,
      long pricePerJob, long pricePerVehicleMonth, long makerShareBasisPoints)
      implements AuditEvent {
    public EventType type() {
      return EventType.LICENCE_PUBLISHED;
    }

    /** What a job owes for {@code vehicleMonths} vehicle-months: pricePerJob + pricePerVehicleMonth × vehicleMonths, exactly. */
    public long amountFor(long vehicleMonths) {
      try {
        return Math.addExact(pricePerJob, Math.multiplyExact(pricePerVehicleMonth, vehicleMonths));
      } catch (ArithmeticException e) {
        throw new MalformedInputException("the amount of " + vehicleMonths + " vehicle-months under licence " + licenceId + " overflows 64 bits");
      }
    }

    /** The maker's part of {@code amount} when {@code owners} owners contributed: ⌊amount × share / 10,000⌋, or all of it without owners. */
    public long makerAmount(long amount, long owners) {
      if (owners == 0) return amount;
      return java.math.BigInteger.valueOf(amount).multiply(java.math.BigInteger.valueOf(makerShareBasisPoints))
          .divide(java.math.BigInteger.valueOf(10_000)).longValueExact();
    }

    public Json.JObject body() {
      return Json.obj("dataset", dataset, "licenceId", licenceId, "licenceHash", licenceHash.hex(), "policyHash", policyHash.hex(),
          "consumer", consumer, "currency", currency, "pricePerJob", pricePerJob, "pricePerVehicleMonth", pricePerVehicleMonth,
          "makerShareBasisPoints", makerShareBasisPoints);
    }
  }

  static AuditEvent decode(EventType type, int version, Json.JObject b) {
    int latest = switch (type) {
      case POLICY_PUBLISHED, JOB_AUTHORIZED -> VERSION_WITH_ACCOUNTING;
      case ORG_REGISTERED -> 2;
      case COMPUTATION_STARTED -> VERSION_WITH_SIMULATION_LABEL;
      case USAGE_SETTLED -> 2;
      case KEY_RELEASED -> KeyReleased.VERSION_WITH_FRESHNESS;
      default -> VERSION;
    };
    if (version < VERSION || version > latest) {
      throw new MalformedInputException("event " + type + " has version " + version + "; this build reads versions " + VERSION + " to " + latest
          + " of it; verify with a newer build");
    }
    boolean v2 = version == VERSION_WITH_ACCOUNTING;
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
      case POLICY_PUBLISHED -> {
        if (v2 != b.has("limits")) throw new MalformedInputException("POLICY_PUBLISHED version " + version + (v2 ? " must carry" : " carries no") + " limits");
        yield new PolicyPublished(DatasetId.parse(b.string("dataset")), b.string("policyId"), Digest.parse(b.string("policyHash")),
            v2 ? Optional.of(PolicyLimits.fromJson(b.object("limits"))) : Optional.empty());
      }
      case POLICY_REVOKED -> new PolicyRevoked(
          DatasetId.parse(b.string("dataset")), b.string("policyId"), Digest.parse(b.string("policyHash")), b.string("reason"));
      case JOB_SUBMITTED -> new JobSubmitted(
          new JobId(b.string("job")), new OrgId(b.string("consumer")),
          b.strings("datasets").stream().map(DatasetVersion::parse).toList(), Engine.parse(b.string("engine")),
          new Purpose(b.string("purpose")), Digest.parse(b.string("computationHash")));
      case JOB_AUTHORIZED -> {
        JobAuthorized a = new JobAuthorized(
            new JobId(b.string("job")), b.objects("policies").stream().map(o -> PolicyBinding.fromJson(o, v2)).toList());
        if (a.version() != version) throw new MalformedInputException("JOB_AUTHORIZED of " + a.jobId() + " is marked version " + version + " but binds no dataset");
        yield a;
      }
      case JOB_DENIED -> new JobDenied(new JobId(b.string("job")), b.strings("reasons"));
      case APPROVAL_GIVEN -> new ApprovalGiven(
          new JobId(b.string("job")), DatasetId.parse(b.string("dataset")), b.bool("approved"), b.string("note"));
      case ATTESTATION_VERIFIED -> new AttestationVerified(
          new JobId(b.string("job")), new Measurement(b.string("measurement")), b.string("provider"), b.bool("simulated"),
          Digest.parse(b.string("evidenceHash")));
      case KEY_RELEASED -> {
        boolean fresh = version == KeyReleased.VERSION_WITH_FRESHNESS;
        if (fresh != b.has("freshness")) throw new MalformedInputException("KEY_RELEASED version " + version + (fresh ? " must carry" : " carries no") + " freshness");
        yield new KeyReleased(
            new JobId(b.string("job")), DatasetVersion.parse(b.string("dataset")), new Measurement(b.string("measurement")),
            b.bool("simulated"), Digest.parse(b.string("recipientKey")), fresh ? Optional.of(Freshness.fromJson(b.object("freshness"))) : Optional.empty());
      }
      case COMPUTATION_STARTED -> {
        boolean labelled = version == VERSION_WITH_SIMULATION_LABEL;
        if (labelled != b.has("simulated")) {
          throw new MalformedInputException("COMPUTATION_STARTED version " + version + (labelled ? " must say" : " does not say") + " whether the enclave is simulated");
        }
        yield new ComputationStarted(new JobId(b.string("job")), Engine.parse(b.string("engine")), optionalMeasurement(b),
            labelled ? Optional.of(b.bool("simulated")) : Optional.empty());
      }
      case RESULT_COMMITTED -> new ResultCommitted(
          new JobId(b.string("job")), Digest.parse(b.string("resultHash")), Engine.parse(b.string("engine")),
          optionalMeasurement(b), b.bool("simulated"), b.strings("inputManifests").stream().map(Cid::parse).toList(),
          b.number("outputRows"), b.number("suppressedGroups"),
          b.has("modelHash") ? Optional.of(Digest.parse(b.string("modelHash"))) : Optional.empty());
      case KEY_RELEASE_REFUSED -> new KeyReleaseRefused(
          new JobId(b.string("job")), DatasetVersion.parse(b.string("dataset")), b.string("reason"), b.string("explanation"));
      case JOB_FAILED -> new JobFailed(new JobId(b.string("job")), b.string("stage"), b.string("reason"));
      case INPUT_SHARED -> new InputShared(new JobId(b.string("job")), DatasetVersion.parse(b.string("dataset")), b.number("rows"),
          b.number("sharedValues"), b.strings("committee").stream().map(OrgId::new).toList(),
          b.has("security") ? io.covenant.core.job.MpcSecurity.parse(b.string("security")) : io.covenant.core.job.MpcSecurity.SEMI_HONEST);
      case USAGE_SETTLED -> {
        if ((version == 2) != b.has("settlement")) throw new MalformedInputException("USAGE_SETTLED version " + version + (version == 2 ? " must carry" : " carries no") + " settlement");
        yield new UsageSettled(new JobId(b.string("job")), DatasetId.parse(b.string("dataset")), new OrgId(b.string("beneficiary")), b.number("units"),
            version == 2 ? Optional.of(Settlement.fromJson(b.object("settlement"))) : Optional.empty());
      }
      case CIPHERTEXT_RECORDED -> new CiphertextRecorded(new JobId(b.string("job")), CiphertextRecorded.Role.parse(b.string("role")),
          b.has("dataset") ? Optional.of(DatasetVersion.parse(b.string("dataset"))) : Optional.empty(), Digest.parse(b.string("ciphertextHash")), b.number("rows"));
      case CONSENT_RECORDED -> new ConsentRecorded(DatasetId.parse(b.string("dataset")), Digest.parse(b.string("consent")));
      case FL_ROUND_COMPLETED -> new FlRoundCompleted(new JobId(b.string("job")), (int) Math.clamp(b.number("round"), Integer.MIN_VALUE, Integer.MAX_VALUE),
          b.strings("participants").stream().map(OrgId::new).toList(), b.strings("dropped").stream().map(OrgId::new).toList(),
          b.strings("declined").stream().map(OrgId::new).toList(), Digest.parse(b.string("globalModelHash")), Digest.parse(b.string("aggregateHash")));
      case LICENCE_PUBLISHED -> new LicencePublished(
          DatasetId.parse(b.string("dataset")), b.string("licenceId"), Digest.parse(b.string("licenceHash")), Digest.parse(b.string("policyHash")),
          new OrgId(b.string("consumer")), b.string("currency"), b.number("pricePerJob"), b.number("pricePerVehicleMonth"), b.number("makerShareBasisPoints"));
    };
  }

  private static Optional<Measurement> optionalMeasurement(Json.JObject b) {
    return b.has("measurement") ? Optional.of(new Measurement(b.string("measurement"))) : Optional.empty();
  }
}
