package io.covenant.core.keyrelease;

import io.covenant.core.crypto.SealedMessage;

/** The owner's half of the key-release handshake, as an enclave sees it. */
public interface KeyService {
  /**
   * The requested dataset key, HPKE-sealed to the request's enclave key; or {@link KeyReleaseRefusedException}
   * naming why it was refused. A refusal releases nothing.
   */
  SealedMessage release(KeyReleaseRequest request);
}
