package io.covenant.node.partyjob;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.DataKey;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.KeyEncryptionKey;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SubjectKey;
import io.covenant.core.crypto.WrappedKey;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.job.Engine;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.KeyReleaseRefusedException;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import io.covenant.policy.Policy;
import io.covenant.storage.blockstore.Blockstore;
import io.covenant.storage.dataset.DatasetReader;
import io.covenant.storage.dataset.SignedManifest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * What an owner's node checks, against its own verified mirror of the ledger, before it computes on its own data for a
 * job the coordinator scheduled (multi-party or homomorphic): that the consumer signed exactly this job (engine,
 * datasets, computation hash) and that it has not ended; that the policy texts handed over are the ones the operator's
 * JOB_AUTHORIZED binds each input to. And how it reads one of its own datasets in its own process: its own wrapped key,
 * its own signed manifest, blocks checked by content address.
 */
public final class OwnJobChecks {
  private final OrgCredentials owner;
  private final Ledger ledger;
  private final KeyEncryptionKey kek;
  private final Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys;
  private final Blockstore blocks;

  public OwnJobChecks(OrgCredentials owner, Ledger ledger, KeyEncryptionKey kek, Function<DatasetVersion, Optional<WrappedKey>> wrappedKeys, Blockstore blocks) {
    this.owner = owner;
    this.ledger = ledger;
    this.kek = kek;
    this.wrappedKeys = wrappedKeys;
    this.blocks = blocks;
  }

  /**
   * The policies of {@code job}'s inputs, one per dataset in the job's order, from the texts handed over: each must be
   * the one the ledger's JOB_AUTHORIZED binds the dataset to, and no text may be left over.
   */
  public List<Policy> boundPolicies(JobRequest job, List<String> texts) {
    Map<DatasetVersion, Digest> bound = boundPolicyHashes(job);
    List<Policy> handed = new ArrayList<>();
    for (String text : texts) handed.add(Policy.parse(text));
    List<Policy> policies = new ArrayList<>();
    for (DatasetVersion d : job.datasets()) {
      Digest expected = bound.get(d);
      // Two versions of one dataset may be bound to the same policy text, handed over once.
      Policy p = java.util.stream.Stream.concat(handed.stream(), policies.stream()).filter(x -> x.dataset().equals(d.dataset()) && x.hash().equals(expected)).findFirst()
          .orElseThrow(() -> new PartyJobRefusedException("the policies handed over for job " + job.id() + " do not include the one the ledger binds to " + d
              + " (" + (expected == null ? "none" : expected.shortForm() + "…") + "): the coordinator's account differs from the ledger"));
      handed.remove(p);
      policies.add(p);
    }
    if (!handed.isEmpty()) throw new PartyJobRefusedException("job " + job.id() + " was handed policies for datasets it does not use");
    return policies;
  }

  /** Reads a dataset version of this owner, batch by batch, with its subject key for consent exclusions; returns rows read. */
  public long read(DatasetVersion d, java.util.function.Function<SubjectKey, java.util.function.Consumer<org.apache.arrow.vector.VectorSchemaRoot>> reader) {
    Cid manifestCid = manifestOf(d);
    WrappedKey wrapped = wrappedKeys.apply(d).orElseThrow(() -> new KeyReleaseRefusedException(KeyReleaseRefusedException.Reason.NO_KEY,
        owner.org() + " holds no wrapped data key for " + d + "; was this version published by this owner?"));
    DatasetReader datasets = new DatasetReader(blocks);
    SignedManifest manifest = datasets.manifest(manifestCid, owner.signingKey().verifyingKey());
    DataKey key;
    try {
      key = kek.unwrap(wrapped, d.toString());
    } catch (IntegrityException e) {
      throw new IntegrityException(owner.org() + "'s key-encryption key does not open the wrapped data key of " + d + "; check the owner's keystore", e);
    }
    SubjectKey subjects = kek.subjectKey(d.dataset());
    long[] rows = {0};
    try (BufferAllocator allocator = new RootAllocator()) {
      java.util.function.Consumer<org.apache.arrow.vector.VectorSchemaRoot> sink = reader.apply(subjects);
      datasets.forEachBatch(manifest, key, allocator, batch -> {
        rows[0] += batch.getRowCount();
        sink.accept(batch);
      });
      return rows[0];
    } finally {
      key.destroy();
      subjects.destroy();
    }
  }


  public Cid manifestOf(DatasetVersion d) {
    Cid found = null;
    for (LedgerEntry e : ledger.entries(0, ledger.size())) {
      if (e.event().event() instanceof AuditEvent.DatasetPublished p && p.dataset().equals(d) && e.event().actor().equals(owner.org())) found = p.manifest();
    }
    if (found == null) throw new PartyJobRefusedException("the ledger holds no DATASET_PUBLISHED of " + d + " by " + owner.org());
    return found;
  }

  public void checkSubmitted(JobRequest job, Engine engine) {
    AuditEvent.JobSubmitted submitted = null;
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      switch (e.event().event()) {
        case AuditEvent.JobSubmitted s -> {
          if (e.event().actor().equals(s.consumer())) submitted = s;
        }
        case AuditEvent.ResultCommitted r -> throw new PartyJobRefusedException("job " + job.id() + " already committed its result (entry " + e.index() + ")");
        case AuditEvent.JobFailed f -> throw new PartyJobRefusedException("job " + job.id() + " already failed (entry " + e.index() + "); submit a new job");
        default -> { }
      }
    }
    if (submitted == null) throw new PartyJobRefusedException("the ledger holds no JOB_SUBMITTED of job " + job.id() + " signed by its consumer");
    if (!submitted.consumer().equals(job.consumer()) || submitted.engine() != engine || !submitted.datasets().equals(job.datasets())
        || !submitted.computationHash().equals(job.computation().hash())) {
      throw new PartyJobRefusedException("job " + job.id() + " as handed over (consumer, engine, datasets or computation) is not the job its consumer signed on the ledger");
    }
  }

  public Map<DatasetVersion, Digest> boundPolicyHashes(JobRequest job) {
    Map<DatasetVersion, Digest> bound = new HashMap<>();
    for (LedgerEntry e : ledger.entriesForJob(job.id())) {
      if (e.event().event() instanceof AuditEvent.JobAuthorized a) {
        for (AuditEvent.PolicyBinding b : a.policies()) bound.put(b.dataset(), b.policyHash());
      }
    }
    if (bound.isEmpty()) throw new PartyJobRefusedException("the ledger holds no JOB_AUTHORIZED for job " + job.id());
    return bound;
  }
}
