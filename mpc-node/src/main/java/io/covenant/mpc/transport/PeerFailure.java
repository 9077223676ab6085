package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.OrgId;
import java.time.Duration;

/**
 * The errors channels and peer links report, worded once so that every transport (in-process, TCP, TLS) says the same
 * thing. Ring errors name the party and its organisation; peer-link errors name the organisation.
 */
final class PeerFailure {
  private PeerFailure() {}

  static PeerUnavailableException silent(Committee committee, Party self, Party peer, Duration timeout) {
    return new PeerUnavailableException(peer, PeerUnavailableException.Reason.SILENT, committee.describe(peer) + " sent nothing for " + timeout.toMillis() + " ms while "
        + committee.describe(self) + " waited for its next message: that node has stopped, hung or lost its network; "
        + "check it, then rerun the computation", null);
  }

  static PeerUnavailableException left(Committee committee, Party self, Party peer, Throwable cause) {
    return new PeerUnavailableException(peer, PeerUnavailableException.Reason.LEFT, committee.describe(peer) + " left the computation (its connection to "
        + committee.describe(self) + " closed): its node stopped or failed; see that node's own error, then rerun the computation", cause);
  }

  static PeerUnavailableException unreachable(Committee committee, Party self, Party peer, String where, Duration timeout, Throwable cause) {
    return new PeerUnavailableException(peer, PeerUnavailableException.Reason.UNREACHABLE, committee.describe(self) + " could not reach " + committee.describe(peer) + " at " + where
        + " within " + timeout.toMillis() + " ms: start that node, or check the address it was given", cause);
  }

  static PeerUnavailableException sendFailed(Committee committee, Party self, Party peer, Throwable cause) {
    return new PeerUnavailableException(peer, PeerUnavailableException.Reason.SEND_FAILED, committee.describe(self) + " could not send to " + committee.describe(peer)
        + ": the connection broke; that node stopped or the network failed; rerun the computation once it is back", cause);
  }

  static MalformedInputException oversized(Committee committee, Party peer, long words) {
    return new MalformedInputException(committee.describe(peer) + " sent a message of " + words + " words, outside the limit of 0 to "
        + TcpPartyChannel.MAX_WORDS + ": it is not a Covenant party node, or it runs an incompatible version");
  }

  static CovenantException closedLocally(Committee committee, Party self, Party peer) {
    return new CovenantException(committee.describe(self) + " stopped waiting for " + committee.describe(peer)
        + " because its own channel was closed: the computation was cancelled");
  }

  static CovenantException interrupted(Committee committee, Party self, Party peer) {
    return new CovenantException(committee.describe(self) + " was interrupted while waiting for " + committee.describe(peer)
        + ": the computation was cancelled");
  }

  static PeerUnavailableException wrongOrganisation(Committee committee, Party self, Party peer, OrgId presented, String where) {
    return new PeerUnavailableException(peer, PeerUnavailableException.Reason.REFUSED, committee.describe(self) + " expected "
        + committee.describe(peer) + " " + where + ", but that node presented the certificate of " + presented
        + ": refused before any share was sent; check the addresses and the committee each node was given", null);
  }

  static PeerUnavailableException tlsRefused(Committee committee, Party self, Party peer, String where, Throwable cause) {
    return new PeerUnavailableException(peer, PeerUnavailableException.Reason.REFUSED, "the TLS handshake between " + committee.describe(self)
        + " and " + committee.describe(peer) + " " + where + " failed (" + cause.getMessage() + "): one of the two certificates is not "
        + "from this consortium, has expired or was revoked; enrol that node again with './covenant org enrol'", cause);
  }

  // Peer links (PeerLink): the same sentences, naming organisations.

  static PeerLinkException silent(OrgId self, OrgId peer, Duration timeout) {
    return new PeerLinkException(peer, PeerLinkException.Reason.SILENT, peer + " sent nothing for " + timeout.toMillis() + " ms while " + self
        + " waited for its next message: that node has stopped, hung or lost its network; check it, then rerun the computation");
  }

  static PeerLinkException left(OrgId self, OrgId peer, Throwable cause) {
    return new PeerLinkException(peer, PeerLinkException.Reason.LEFT, peer + " left the computation (its link to " + self
        + " closed): its node stopped or failed; see that node's own error, then rerun the computation", cause);
  }

  static PeerLinkException cancelled(OrgId self, OrgId peer) {
    return new PeerLinkException(peer, PeerLinkException.Reason.CANCELLED, self + " stopped waiting for " + peer
        + " because its own link was closed: the computation was cancelled");
  }

  static PeerLinkException interrupted(OrgId self, OrgId peer) {
    return new PeerLinkException(peer, PeerLinkException.Reason.CANCELLED, self + " was interrupted while waiting for " + peer
        + ": the computation was cancelled");
  }

  static PeerLinkException sendAfterClose(OrgId self, OrgId peer) {
    return new PeerLinkException(peer, PeerLinkException.Reason.CANCELLED, self + " tried to send to " + peer + " after its link was closed");
  }

  static PeerLinkException frameTooLarge(OrgId self, OrgId peer, int bytes) {
    return new PeerLinkException(peer, PeerLinkException.Reason.MALFORMED, self + " tried to send a frame of " + bytes + " bytes to " + peer
        + ", over the limit of " + PeerLink.MAX_FRAME_BYTES + "; the protocol must batch it");
  }

  static PeerLinkException oversizedFrame(OrgId self, OrgId peer, long bytes) {
    return new PeerLinkException(peer, PeerLinkException.Reason.MALFORMED, peer + " announced a frame of " + bytes + " bytes to " + self
        + ", outside the limit of 0 to " + PeerLink.MAX_FRAME_BYTES + ": it is not a Covenant node, or it runs an incompatible version");
  }

  static PeerLinkException sendFailed(OrgId self, OrgId peer, Throwable cause) {
    return new PeerLinkException(peer, PeerLinkException.Reason.SEND_FAILED, self + " could not send to " + peer
        + ": the connection broke; that node stopped or the network failed; rerun the computation once it is back", cause);
  }

  static PeerLinkException unreachable(OrgId self, OrgId peer, String where, Duration timeout, Throwable cause) {
    return new PeerLinkException(peer, PeerLinkException.Reason.UNREACHABLE, self + " could not reach " + peer + " at " + where
        + " within " + timeout.toMillis() + " ms: start that node, or check the address it was given", cause);
  }

  static PeerLinkException wrongOrganisation(OrgId self, OrgId expected, OrgId presented, String where) {
    return new PeerLinkException(expected, PeerLinkException.Reason.REFUSED, self + " expected " + expected + " " + where
        + ", but that node presented the certificate of " + presented + ": refused before anything was sent; check the address "
        + "and the organisations the job names");
  }

  static PeerLinkException tlsRefused(OrgId self, OrgId peer, String where, Throwable cause) {
    return new PeerLinkException(peer, PeerLinkException.Reason.REFUSED, "the TLS handshake between " + self + " and " + peer + " "
        + where + " failed (" + cause.getMessage() + "): one of the two certificates is not from this consortium, has expired or "
        + "was revoked; enrol that node again with './covenant org enrol'", cause);
  }
}
