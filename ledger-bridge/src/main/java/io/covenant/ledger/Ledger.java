package io.covenant.ledger;

import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The audit ledger: an append-only log of actor-signed events, hash-linked entry to entry and committed to by an
 * RFC 9162 Merkle tree, so that any member can prove an entry is in the log and that the log only ever grew.
 *
 * <p>The ledger records facts; it does not judge whether a job's events form a lawful sequence. That is the
 * auditor's job ({@code io.covenant.ledger.verify.LedgerVerifier}), which must be able to run without trusting the
 * ledger operator.
 */
public interface Ledger extends AutoCloseable {

  /**
   * Appends an actor-signed event; durable (fsync'd) when it returns. Rejects with {@link LedgerRejectedException}
   * (message names actor and event type) an event whose signature does not verify against the actor's registered
   * key. ORG_REGISTERED: an org's first registration is accepted if self-signed by the key it registers; a second
   * registration of the same org is rejected. Any other event from an unregistered actor is rejected.
   *
   * @throws LedgerStorageException if the ledger is closed or its storage failed; an append that fails this way may
   *     or may not be present after the ledger is reopened
   */
  LedgerEntry append(SignedEvent event);

  /**
   * Appends {@code events}, in their order, as one act: an owner's ATTESTATION_VERIFIED and KEY_RELEASED, say, which
   * stay two signed entries but cost one round trip and one {@code fsync}. {@link
   * io.covenant.ledger.embedded.EmbeddedLedger} (and the ledgers that write through it) checks every event before it
   * sequences any, so one rejected event rejects the batch and nothing is appended, and the entries are consecutive.
   * This default appends them one after another: a ledger that cannot do better (one transaction per event on a
   * chain) may keep the events before a rejected one. As with {@link #append}, a storage failure or crash while a
   * batch is written may keep a prefix of it, never acknowledged.
   */
  default List<LedgerEntry> appendAll(List<SignedEvent> events) {
    return events.stream().map(this::append).toList();
  }

  /** The number of durable entries. */
  long size();

  /** Durable entries with {@code fromInclusive <= index < toExclusive}, in index order. */
  List<LedgerEntry> entries(long fromInclusive, long toExclusive);

  /** Every durable entry whose event belongs to {@code job}, in index order. */
  List<LedgerEntry> entriesForJob(JobId job);

  /** The durable registration of {@code org}, if it has registered. */
  Optional<AuditEvent.OrgRegistered> organisation(OrgId org);

  /** A signed tree head at the current size. */
  SignedCheckpoint checkpoint();

  /** Proof that entry {@code index} is in the tree of the first {@code treeSize} entries. */
  InclusionProof proveInclusion(long index, long treeSize);

  /** Proof that the tree of {@code oldSize} entries is a prefix of the tree of {@code newSize} entries. */
  ConsistencyProof proveConsistency(long oldSize, long newSize);

  /**
   * Writes everything an auditor needs offline: a fresh checkpoint and every entry it covers (the organisations'
   * keys are in their ORG_REGISTERED entries), as JSON Lines readable by {@code LedgerExport.read}.
   */
  void export(Path file);

  @Override
  void close();
}
