package io.covenant.ledger.verify;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.CosignedCheckpoint;
import java.util.List;
import java.util.Optional;

/**
 * What an auditor brings to {@link LedgerVerifier} from outside the log: the operator's log key it pinned, the
 * consortium's witnesses and quorum, a checkpoint it kept from an earlier audit, and checkpoints anchored on chain. Each is optional; each one
 * given removes a way the operator could rewrite history unnoticed (see docs/ledger.md).
 */
public record AuditorTrust(
    Optional<VerifyingKey> logKey, Optional<Consortium> consortium, Optional<CosignedCheckpoint> since, List<Digest> sinceLeaves, List<ChainAnchor> anchors) {

  public static final AuditorTrust NONE = new AuditorTrust(Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());

  public AuditorTrust(Optional<VerifyingKey> logKey, Optional<Consortium> consortium, Optional<CosignedCheckpoint> since) {
    this(logKey, consortium, since, List.of(), List.of());
  }

  public AuditorTrust {
    anchors = anchors == null ? List.of() : List.copyOf(anchors);
    sinceLeaves = sinceLeaves == null ? List.of() : List.copyOf(sinceLeaves);
    if (!sinceLeaves.isEmpty() && (since.isEmpty() || since.get().checkpoint().treeSize() != sinceLeaves.size())) {
      throw new MalformedInputException("the kept leaf hashes must be exactly the " + since.map(k -> k.checkpoint().treeSize()).orElse(0L)
          + " leaves of the kept checkpoint");
    }
    logKey = logKey == null ? Optional.empty() : logKey;
    consortium = consortium == null ? Optional.empty() : consortium;
    since = since == null ? Optional.empty() : since;
    if (logKey.isPresent() && consortium.flatMap(Consortium::logKey).isPresent() && !consortium.get().logKey().get().equals(logKey.get())) {
      throw new MalformedInputException(
          "the pinned log key " + logKey.get().shortForm() + "… differs from the consortium's log key " + consortium.get().logKey().get().shortForm()
              + "…: pin one log key");
    }
  }

  public AuditorTrust withLogKey(VerifyingKey key) {
    return new AuditorTrust(Optional.of(key), consortium, since, sinceLeaves, anchors);
  }

  public AuditorTrust withConsortium(Consortium c) {
    return new AuditorTrust(logKey, Optional.of(c), since, sinceLeaves, anchors);
  }

  public AuditorTrust withSince(CosignedCheckpoint kept) {
    return new AuditorTrust(logKey, consortium, Optional.of(kept), List.of(), anchors);
  }

  /**
   * A checkpoint kept together with the leaf hashes it covers (an export the auditor verified and kept). The leaves
   * must have the kept root; then a later rewrite of anything it covered is named at its exact first entry, by
   * comparing leaves, however rarely checkpoints were witnessed.
   */
  public AuditorTrust withSince(CosignedCheckpoint kept, List<Digest> leaves) {
    if (!io.covenant.ledger.merkle.MerkleTree.of(kept.checkpoint().suite(), leaves).root().equals(kept.checkpoint().rootHash())) {
      throw new MalformedInputException("the kept leaves do not have the kept checkpoint's root: the kept export does not match its own checkpoint");
    }
    return new AuditorTrust(logKey, consortium, Optional.of(kept), leaves, anchors);
  }

  /** Checkpoints anchored on chain ({@code AuditContract.anchors()}): each is checked like a witnessed one. */
  public AuditorTrust withAnchors(List<ChainAnchor> onChain) {
    return new AuditorTrust(logKey, consortium, since, sinceLeaves, onChain);
  }

  /**
   * The crypto suite the auditor holds the log to: the consortium's ({@link Consortium#suite}) if one is given, else the
   * pinned log key's, else empty (then the verifier takes the first entry's and refuses any other).
   */
  public Optional<CryptoSuite> suite() {
    if (consortium.isPresent()) return Optional.of(consortium.get().suite());
    return trustedLogKey().map(VerifyingKey::suite);
  }

  /** The log key to hold every checkpoint to: the pinned one, else the consortium's, if either is given. */
  Optional<VerifyingKey> trustedLogKey() {
    return logKey.isPresent() ? logKey : consortium.flatMap(Consortium::logKey);
  }
}
