package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;

/**
 * A neighbour in the ring stopped answering, left, could not be reached, or was refused at the TLS handshake. Names the
 * party and its organisation.
 */
public final class PeerUnavailableException extends CovenantException {

  /** What happened to the peer. */
  public enum Reason {
    /** Connected, but sent nothing within the peer timeout: stopped, hung or cut off. */
    SILENT,
    /** Its connection closed: its node stopped or gave up on the computation. */
    LEFT,
    /** Could not be connected to (or did not connect) within the peer timeout. */
    UNREACHABLE,
    /** A message to it could not be written. */
    SEND_FAILED,
    /**
     * Its node answered over TLS but its certificate names another organisation than the committee puts in its seat,
     * is not from this consortium, or it refused ours: nothing was exchanged.
     */
    REFUSED
  }

  private final Party peer;
  private final Reason reason;

  public PeerUnavailableException(Party peer, Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.peer = peer;
    this.reason = reason;
  }

  /** The party that did not answer. */
  public Party peer() {
    return peer;
  }

  public Reason reason() {
    return reason;
  }
}
