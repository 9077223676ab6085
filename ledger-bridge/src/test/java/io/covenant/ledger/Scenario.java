package io.covenant.ledger;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.PolicyBinding;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.ledger.merkle.MerkleTree;
import io.covenant.ledger.verify.LedgerExport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The seed scenario as signed events: two hospitals publish claims datasets and policies, an insurer runs jobs on
 * them. Test fixture: every list it returns is a lawful history unless a test changes it.
 */
public final class Scenario {
  public final OrgCredentials hospitalA = OrgCredentials.generate(OrgId.of("hospital-a"));
  public final OrgCredentials hospitalB = OrgCredentials.generate(OrgId.of("hospital-b"));
  public final OrgCredentials insurer = OrgCredentials.generate(OrgId.of("insurer-x"));
  public final OrgCredentials operator = OrgCredentials.generate(OrgId.of("operator"));

  public final DatasetVersion claimsA = DatasetVersion.parse("hospital-a/claims@1");
  public final DatasetVersion claimsB = DatasetVersion.parse("hospital-b/claims@1");
  public final Cid manifestA = Cid.of(Cid.DAG_JSON, "manifest a".getBytes(StandardCharsets.UTF_8));
  public final Cid manifestB = Cid.of(Cid.DAG_JSON, "manifest b".getBytes(StandardCharsets.UTF_8));
  public final Digest policyA = Digest.sha256("policy a".getBytes(StandardCharsets.UTF_8));
  public final Digest policyB = Digest.sha256("policy b".getBytes(StandardCharsets.UTF_8));
  public final Measurement enclave = new Measurement("ab".repeat(32));
  public final Measurement otherEnclave = new Measurement("cd".repeat(32));

  private long clock;

  public SignedEvent sign(OrgCredentials by, AuditEvent event) {
    return SignedEvent.sign(event, by.org(), by.signingKey(), Instant.parse("2026-11-21T10:00:00Z").plusSeconds(clock++));
  }

  public SignedEvent register(OrgCredentials org) {
    return sign(org, org.registration(org.org().value(), "member"));
  }

  /** Registrations, two published datasets and a policy for each: 8 events. */
  public List<SignedEvent> setup() {
    return List.of(
        register(hospitalA), register(hospitalB), register(insurer),
        sign(operator, operator.registration("Operator", AuditEvent.OrgRegistered.OPERATOR)),
        sign(hospitalA, new AuditEvent.DatasetPublished(claimsA, manifestA, 1000, 4, Digest.sha256(new byte[] {1}))),
        sign(hospitalB, new AuditEvent.DatasetPublished(claimsB, manifestB, 2000, 8, Digest.sha256(new byte[] {2}))),
        sign(hospitalA, new AuditEvent.PolicyPublished(claimsA.dataset(), "claims-stats", policyA)),
        sign(hospitalB, new AuditEvent.PolicyPublished(claimsB.dataset(), "claims-stats", policyB)));
  }

  public SignedEvent submitted(JobId job, Engine engine) {
    return sign(insurer, new AuditEvent.JobSubmitted(
        job, insurer.org(), List.of(claimsA, claimsB), engine, new Purpose("risk-model"), Digest.sha256(job.value().getBytes(StandardCharsets.UTF_8))));
  }

  public SignedEvent authorized(JobId job) {
    return sign(operator, new AuditEvent.JobAuthorized(job, List.of(new PolicyBinding(claimsA, policyA), new PolicyBinding(claimsB, policyB))));
  }

  public SignedEvent attested(OrgCredentials owner, JobId job, Measurement m) {
    return sign(owner, new AuditEvent.AttestationVerified(job, m, "simulation", true, Digest.sha256(m.hex().getBytes(StandardCharsets.UTF_8))));
  }

  public SignedEvent keyReleased(OrgCredentials owner, JobId job, DatasetVersion d, Measurement m) {
    return sign(owner, new AuditEvent.KeyReleased(job, d, m, true, Digest.sha256(job.value().getBytes(StandardCharsets.UTF_8))));
  }

  public SignedEvent result(JobId job, Engine engine, Optional<Measurement> m, List<Cid> inputs) {
    return sign(operator, new AuditEvent.ResultCommitted(
        job, Digest.sha256(("result " + job).getBytes(StandardCharsets.UTF_8)), engine, m, true, inputs, 12, 1));
  }

  /** A complete TEE job: 11 events from submission to usage settlement. */
  public List<SignedEvent> teeJob(JobId job) {
    return List.of(
        submitted(job, Engine.TEE),
        sign(hospitalA, new AuditEvent.ApprovalGiven(job, claimsA.dataset(), true, "ok")),
        authorized(job),
        attested(hospitalA, job, enclave),
        attested(hospitalB, job, enclave),
        keyReleased(hospitalA, job, claimsA, enclave),
        keyReleased(hospitalB, job, claimsB, enclave),
        sign(operator, new AuditEvent.ComputationStarted(job, Engine.TEE, Optional.of(enclave), true)),
        result(job, Engine.TEE, Optional.of(enclave), List.of(manifestB, manifestA)),
        sign(operator, new AuditEvent.UsageSettled(job, claimsA.dataset(), hospitalA.org(), 3)),
        sign(operator, new AuditEvent.UsageSettled(job, claimsB.dataset(), hospitalB.org(), 5)));
  }

  /** A complete MPC job: 6 events (each owner's node records that it shared its input). */
  public List<SignedEvent> mpcJob(JobId job) {
    return List.of(
        submitted(job, Engine.MPC),
        authorized(job),
        sign(operator, new AuditEvent.ComputationStarted(job, Engine.MPC, Optional.empty(), false)),
        inputShared(hospitalA, job, claimsA),
        inputShared(hospitalB, job, claimsB),
        result(job, Engine.MPC, Optional.empty(), List.of(manifestA, manifestB)));
  }

  public SignedEvent inputShared(OrgCredentials owner, JobId job, DatasetVersion d) {
    return sign(owner, new AuditEvent.InputShared(job, d, 100, 253, List.of(hospitalA.org(), hospitalB.org(), insurer.org())));
  }

  public List<SignedEvent> deniedJob(JobId job) {
    return List.of(submitted(job, Engine.TEE), sign(operator, new AuditEvent.JobDenied(job, List.of("purpose-not-allowed: research only"))));
  }

  public List<SignedEvent> failedJob(JobId job) {
    return List.of(submitted(job, Engine.TEE), authorized(job), sign(operator, new AuditEvent.JobFailed(job, "attestation", "no enclave available")));
  }

  /** Everything above in one lawful history: setup, a TEE job, an MPC job, a denied job and a failed job. */
  public List<SignedEvent> lawfulHistory() {
    List<SignedEvent> all = new ArrayList<>(setup());
    all.addAll(teeJob(JobId.random()));
    all.addAll(mpcJob(JobId.random()));
    all.addAll(deniedJob(JobId.random()));
    all.addAll(failedJob(JobId.random()));
    return all;
  }

  /** Entries for {@code events} with correct indexes and hash links, as a ledger would write them. */
  public static List<LedgerEntry> chain(List<SignedEvent> events) {
    List<LedgerEntry> out = new ArrayList<>();
    Digest previous = LedgerEntry.NO_PREVIOUS;
    for (SignedEvent e : events) {
      LedgerEntry entry = new LedgerEntry(out.size(), e, previous);
      out.add(entry);
      previous = entry.leafHash();
    }
    return out;
  }

  /** An export of exactly {@code entries} with a checkpoint over them signed by {@code logKey}. */
  public static LedgerExport export(List<LedgerEntry> entries, SigningKey logKey) {
    MerkleTree t = MerkleTree.of(entries.stream().map(LedgerEntry::leafHash).toList());
    return new LedgerExport(entries, SignedCheckpoint.sign(entries.size(), t.root(), Instant.parse("2026-11-22T00:00:00Z"), logKey));
  }
}
