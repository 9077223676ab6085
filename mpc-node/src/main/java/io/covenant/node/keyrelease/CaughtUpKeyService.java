package io.covenant.node.keyrelease;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.core.keyrelease.KeyService;
import io.covenant.ledger.mirror.LedgerSource;
import io.covenant.ledger.mirror.MirroredLedger;
import java.util.Optional;

/**
 * The key service an organisation's node serves to enclaves: the owner decides ({@link OwnerKeyService}) from its own
 * verified mirror of the log, brought up to the job first.
 *
 * <p>The coordinator staples to each job it dispatches the signed checkpoint it holds after COMPUTATION_STARTED and the
 * latest entries; the enclave forwards it with every key request. The mirror takes it as it takes a sync (signature by
 * the pinned log key, no rollback, hash links, every event's signature, the Merkle root), so when it covers the job's
 * JOB_AUTHORIZED the owner decides without a round trip to the coordinator. A staple that is stale cannot hide what
 * follows it: the owner's decision is checked again against the log up to its own KEY_RELEASED, which the answer to its
 * append brings (see {@link OwnerKeyService#release}). A staple that does not cover the job is no harm either: the
 * node then syncs as it would without one. A forged or malformed staple is refused, and nothing is released.
 */
public final class CaughtUpKeyService implements KeyService {
  private final MirroredLedger mirror;
  private final OwnerKeyService owner;

  public CaughtUpKeyService(MirroredLedger mirror, OwnerKeyService owner) {
    this.mirror = mirror;
    this.owner = owner;
  }

  @Override
  public SealedMessage release(KeyReleaseRequest request) {
    return release(request, Optional.empty());
  }

  @Override
  public SealedMessage release(KeyReleaseRequest request, Optional<Json.JObject> stapledLog) {
    if (stapledLog.isPresent()) {
      LedgerSource.LogUpdate update;
      try {
        update = LedgerSource.LogUpdate.fromJson(stapledLog.get(), mirror.size());
      } catch (MalformedInputException e) {
        throw new MalformedInputException("the log update stapled to the key request for " + request.job() + " is malformed: " + e.getMessage());
      }
      try {
        mirror.catchUp(update);
      } catch (IntegrityException e) {
        throw new IntegrityException("the log update stapled to the key request for " + request.job() + " fails verification, so nothing was released: "
            + e.getMessage(), e);
      }
    }
    if (!authorisedOnMirror(request.job())) mirror.sync();
    return owner.release(request);
  }

  private boolean authorisedOnMirror(JobId job) {
    return mirror.entriesForJob(job).stream().anyMatch(e -> e.event().event() instanceof AuditEvent.JobAuthorized);
  }
}
