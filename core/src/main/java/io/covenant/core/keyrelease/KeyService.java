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
   * As {@link #release(KeyReleaseRequest)}, with the log update the coordinator stapled to the job at dispatch
   * ({@code {"checkpoint": ..., "entries": [...]}}, forwarded untouched by the enclave): a node that keeps its own
   * mirror of the log may take it instead of asking the coordinator, after verifying it as it verifies a sync. It is
   * untrusted; a key service that keeps no mirror ignores it.
   */
  default SealedMessage release(KeyReleaseRequest request, java.util.Optional<io.covenant.core.codec.Json.JObject> stapledLog) {
    return release(request);
  }

  /**
   * Whether a request travels to another process (the owner's node), so that an enclave with several inputs gains by
   * asking their owners at the same time rather than one after another. An in-process key service answers from the
   * same JVM's ledger in a few milliseconds; it is asked in turn, which keeps its ledger entries in input order.
   */
  default boolean remote() {
    return false;
  }
}
