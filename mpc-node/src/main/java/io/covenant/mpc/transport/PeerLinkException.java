package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;

/** A peer organisation's node stopped answering, left, could not be reached, or sent what no protocol step expects. */
public final class PeerLinkException extends CovenantException {

  /** What happened to the peer. */
  public enum Reason {
    /** Connected, but sent nothing within the peer timeout: stopped, hung or cut off. */
    SILENT,
    /** Its connection closed: its node stopped or gave up on the computation. */
    LEFT,
    /** Could not be connected to, or did not connect or admit the link, within the peer timeout. */
    UNREACHABLE,
    /** A frame to it could not be written. */
    SEND_FAILED,
    /** It sent a frame no protocol step expects (wrong size, too large). */
    MALFORMED,
    /**
     * Its node answered, but is not the organisation or the job this link was opened for (its certificate names
     * another organisation, or it runs another job), or refused ours: nothing was exchanged.
     */
    REFUSED,
    /** This side's own link was closed or its thread interrupted while it waited: the computation was cancelled. */
    CANCELLED
  }

  private final OrgId peer;
  private final Reason reason;

  public PeerLinkException(OrgId peer, Reason reason, String message) {
    this(peer, reason, message, null);
  }

  public PeerLinkException(OrgId peer, Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.peer = peer;
    this.reason = reason;
  }

  /** The organisation whose node did not answer as expected. */
  public OrgId peer() {
    return peer;
  }

  public Reason reason() {
    return reason;
  }
}
