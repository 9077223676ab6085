package io.covenant.node.keyrelease;

import io.covenant.core.crypto.Digest;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.ledger.Ledger;
import io.covenant.ledger.LedgerEntry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one owner needs to know from the ledger to decide a key release on its own: which policies it published for
 * which dataset (and which is the latest), which it revoked, and every debit the trusted authoriser recorded under
 * its policies. Built by reading the ledger from the start and then only the entries appended since (the ledger is
 * append-only), so a release costs the entries new since the last one.
 *
 * <p>Only the owner's own POLICY_PUBLISHED and POLICY_REVOKED count (an entry by anyone else about its dataset is
 * not its decision), and only the authoriser's JOB_AUTHORIZED (no other organisation's authorisation releases a key).
 */
final class OwnerLedgerView {
  /** One dataset's binding in one JOB_AUTHORIZED: where it is, for whom, and what it debits (empty: legacy entry). */
  record Authorisation(long index, JobId job, OrgId consumer, DatasetVersion dataset, Digest policyHash, Optional<AuditEvent.Debit> debit) {}

  /** What has been spent under a policy up to and including one authorisation. */
  record Spent(long uses, BigDecimal epsilonOfConsumer) {}

  private final OrgId owner;
  private final OrgId authoriser;
  private final Ledger ledger;
  private long next;
  private final Map<DatasetId, Digest> latest = new HashMap<>();
  private final Map<DatasetId, Map<Digest, Long>> publishedAt = new HashMap<>();
  private final Map<Digest, Long> revokedAt = new HashMap<>();
  private final Map<JobId, OrgId> consumers = new HashMap<>();
  private final Map<Digest, List<Authorisation>> byPolicy = new HashMap<>();

  OwnerLedgerView(OrgId owner, OrgId authoriser, Ledger ledger) {
    this.owner = owner;
    this.authoriser = authoriser;
    this.ledger = ledger;
  }

  /** Reads the entries appended since the last call. */
  synchronized void catchUp() {
    long size = ledger.size();
    while (next < size) {
      long to = Math.min(size, next + 1024);
      for (LedgerEntry e : ledger.entries(next, to)) read(e);
      next = to;
    }
  }

  private void read(LedgerEntry entry) {
    OrgId actor = entry.event().actor();
    switch (entry.event().event()) {
      case AuditEvent.PolicyPublished p when actor.equals(owner) && p.dataset().owner().equals(owner) -> {
        latest.put(p.dataset(), p.policyHash());
        publishedAt.computeIfAbsent(p.dataset(), d -> new HashMap<>()).putIfAbsent(p.policyHash(), entry.index());
      }
      case AuditEvent.PolicyRevoked r when actor.equals(owner) && r.dataset().owner().equals(owner) ->
          revokedAt.putIfAbsent(r.policyHash(), entry.index());
      case AuditEvent.JobSubmitted s -> consumers.putIfAbsent(s.jobId(), s.consumer());
      case AuditEvent.JobAuthorized a when actor.equals(authoriser) -> {
        OrgId consumer = consumers.get(a.jobId());
        if (consumer == null) return; // never submitted: no key is released for it, and it spends nothing
        for (AuditEvent.PolicyBinding b : a.policies()) {
          if (!b.dataset().owner().equals(owner)) continue;
          byPolicy.computeIfAbsent(b.policyHash(), h -> new ArrayList<>())
              .add(new Authorisation(entry.index(), a.jobId(), consumer, b.dataset(), b.policyHash(), b.debit()));
        }
      }
      default -> { }
    }
  }

  /** Where the owner first published {@code policy} for {@code dataset}, if it did. */
  synchronized Optional<Long> publishedAt(DatasetId dataset, Digest policy) {
    return Optional.ofNullable(publishedAt.getOrDefault(dataset, Map.of()).get(policy));
  }

  synchronized Optional<Long> revokedAt(Digest policy) {
    return Optional.ofNullable(revokedAt.get(policy));
  }

  /** The hash of the owner's latest POLICY_PUBLISHED for {@code dataset}, if any. */
  synchronized Optional<Digest> latest(DatasetId dataset) {
    return Optional.ofNullable(latest.get(dataset));
  }

  /**
   * Uses (by everyone) and epsilon (by {@code at}'s consumer) debited under {@code at}'s policy by every
   * authorisation up to and including {@code at}, in log order. Each authorisation counts as at least one use and
   * {@code perQuery} epsilon, whatever it recorded: a legacy entry recorded no debit (the coordinator debited exactly
   * that), and an understated debit must not make room for another job.
   */
  synchronized Spent spentThrough(Authorisation at, BigDecimal perQuery) {
    long uses = 0;
    BigDecimal epsilon = BigDecimal.ZERO;
    for (Authorisation a : byPolicy.getOrDefault(at.policyHash(), List.of())) {
      if (a.index() > at.index()) break;
      AuditEvent.Debit d = a.debit().orElse(AuditEvent.Debit.oneUse(perQuery));
      uses += Math.max(1, d.uses());
      if (a.consumer().equals(at.consumer())) epsilon = epsilon.add(d.epsilon().max(perQuery));
    }
    return new Spent(uses, epsilon);
  }
}
