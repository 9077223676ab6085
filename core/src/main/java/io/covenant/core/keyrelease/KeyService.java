package io.covenant.core.keyrelease;

import io.covenant.core.crypto.SealedMessage;

/** The owner's half of the key-release handshake, as an enclave sees it. */
public interface KeyService {
  /**
   * The requested dataset key, HPKE-sealed to the request's enclave key; or {@link KeyReleaseRefusedException}
   * naming why it was refused. A refusal releases nothing.
   */
  SealedMessage release(KeyReleaseRequest request);

  /**
   * Whether a request travels to another process (the owner's node), so that an enclave with several inputs gains by
   * asking their owners at the same time rather than one after another. An in-process key service answers from the
   * same JVM's ledger in a few milliseconds; it is asked in turn, which keeps its ledger entries in input order.
   */
  default boolean remote() {
    return false;
  }
}
