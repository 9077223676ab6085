package io.covenant.ledger.verify;

import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.CosignedCheckpoint;
import java.util.Optional;

/**
 * What an auditor brings to {@link LedgerVerifier} from outside the log: the operator's log key it pinned, the
 * consortium's witnesses and quorum, and a checkpoint it kept from an earlier audit. Each is optional; each one
 * given removes a way the operator could rewrite history unnoticed (see docs/ledger.md).
 */
public record AuditorTrust(Optional<VerifyingKey> logKey, Optional<Consortium> consortium, Optional<CosignedCheckpoint> since) {

  public static final AuditorTrust NONE = new AuditorTrust(Optional.empty(), Optional.empty(), Optional.empty());

  public AuditorTrust {
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
    return new AuditorTrust(Optional.of(key), consortium, since);
  }

  public AuditorTrust withConsortium(Consortium c) {
    return new AuditorTrust(logKey, Optional.of(c), since);
  }

  public AuditorTrust withSince(CosignedCheckpoint kept) {
    return new AuditorTrust(logKey, consortium, Optional.of(kept));
  }

  /** The log key to hold every checkpoint to: the pinned one, else the consortium's, if either is given. */
  Optional<VerifyingKey> trustedLogKey() {
    return logKey.isPresent() ? logKey : consortium.flatMap(Consortium::logKey);
  }
}
