package io.covenant.mpc.transport;

import io.covenant.core.error.CovenantException;
import io.covenant.core.error.MalformedInputException;
import java.time.Duration;

/** The errors a channel reports, worded once so that both transports say the same thing. */
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
}
