package io.covenant.node.ownjob;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an organisation's node checks against its own verified mirror of the ledger before it computes on its own data
 * for a job the coordinator scheduled (a multi-party seat, a federated hospital): the coordinator's account of the job
 * is believed only as far as the ledger backs it. Each engine's node service refuses with its own exception type,
 * made by {@code refusal}.
 */
public final class JobOnOwnLedger {
  private final Ledger ledger;
  private final Function<String, RuntimeException> refusal;

  public JobOnOwnLedger(Ledger ledger, Function<String, RuntimeException> refusal) {
    this.ledger = ledger;
    this.refusal = refusal;
  }

  /**
   * The ledger's JOB_SUBMITTED of the job, signed by its consumer, names {@code engine}, exactly the job's datasets and
   * the hash of the computation handed over; and the job has neither committed a result nor failed.
   */
  public void checkSubmitted(JobRequest job, Engine engine) {
    AuditEvent.JobSubmitted submitted = null;
    io.covenant.core.crypto.CryptoSuite suite = null;
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      switch (e.event().event()) {
        case AuditEvent.JobSubmitted s -> {
          if (e.event().actor().equals(s.consumer())) {
            submitted = s;
            suite = e.suite();
          }
        }
        case AuditEvent.ResultCommitted r -> throw refusal.apply("job " + job.id() + " already committed its result (entry " + e.index() + ")");
        case AuditEvent.JobFailed f -> throw refusal.apply("job " + job.id() + " already failed (entry " + e.index() + "); submit a new job");
        default -> { }
      }
    }
    if (submitted == null) throw refusal.apply("the ledger holds no JOB_SUBMITTED of job " + job.id() + " signed by its consumer");
    if (!submitted.consumer().equals(job.consumer()) || submitted.engine() != engine || !submitted.datasets().equals(job.datasets())
        || !submitted.computationHash().equals(job.computation().hash(suite))) {
      throw refusal.apply("job " + job.id() + " as handed over (consumer, engine, datasets or computation) is not the job its consumer signed on the ledger");
    }
  }

  /**
   * The policy texts handed over, one per dataset of the job in the job's order, each the one the ledger's JOB_AUTHORIZED
   * binds that dataset to (by the hash of its text); refuses texts the ledger does not back, or texts for datasets the
   * job does not use.
   */
  public List<Policy> boundPolicies(JobRequest job, List<String> texts) {
    Map<DatasetVersion, Digest> bound = new HashMap<>();
    io.covenant.core.crypto.CryptoSuite suite = null;
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      if (e.event().event() instanceof AuditEvent.JobAuthorized a) {
        for (AuditEvent.PolicyBinding b : a.policies()) bound.put(b.dataset(), b.policyHash());
        suite = e.suite();
      }
    }
    if (bound.isEmpty()) throw refusal.apply("the ledger holds no JOB_AUTHORIZED for job " + job.id());
    List<Policy> offered = new ArrayList<>();
    for (String text : texts) offered.add(Policy.parse(text));
    io.covenant.core.crypto.CryptoSuite hashing = suite; // the ledger's suite: a policy hashed under another one matches nothing
    List<Policy> matched = new ArrayList<>();
    for (DatasetVersion d : job.datasets()) {
      Digest expected = bound.get(d);
      Policy p = offered.stream().filter(x -> x.dataset().equals(d.dataset()) && x.hash(hashing).equals(expected)).findFirst()
          .orElseThrow(() -> refusal.apply("the policies handed over for job " + job.id() + " do not include the one the ledger binds to " + d
              + " (" + (expected == null ? "none" : expected.shortForm() + "…") + "): the coordinator's account differs from the ledger"));
      offered.remove(p);
      matched.add(p);
    }
    if (!offered.isEmpty()) throw refusal.apply("job " + job.id() + " was handed policies for datasets it does not use");
    return matched;
  }

  /** The manifest of {@code d} as {@code owner} published it on the ledger (its latest DATASET_PUBLISHED of that version). */
  public Cid manifestOf(DatasetVersion d, OrgId owner) {
    Cid found = null;
    for (LedgerEntry e : ledger.entries(0, ledger.size())) {
      if (e.event().event() instanceof AuditEvent.DatasetPublished p && p.dataset().equals(d) && e.event().actor().equals(owner)) found = p.manifest();
    }
    if (found == null) throw refusal.apply("the ledger holds no DATASET_PUBLISHED of " + d + " by " + owner);
    return found;
  }
}
