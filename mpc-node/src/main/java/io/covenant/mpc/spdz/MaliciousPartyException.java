package io.covenant.mpc.spdz;

import io.covenant.core.error.CovenantException;
import io.covenant.core.id.OrgId;
import java.util.List;

/**
 * A malicious-secure computation aborted because a party deviated: a share, a MAC or an opened value did not check
 * (SPDZ's MAC check, or the broadcast check of an input). SPDZ detects cheating but does not identify the cheater
 * (it gives security with abort, not identifiable abort), so the message names the organisation whose node detected
 * it and the parties among whom the deviating one is; no output was opened toward anyone.
 */
public final class MaliciousPartyException extends CovenantException {
  /** Words every such message holds, so that a coordinator reading the nodes' answers can tell detection from fallout. */
  public static final String MARK = "aborted the malicious-secure computation";
  private final OrgId detectedBy;
  private final List<OrgId> suspects;

  public MaliciousPartyException(OrgId detectedBy, List<OrgId> suspects, String check, Throwable cause) {
    super(detectedBy + "'s node " + MARK + ": " + check + ". One of " + suspects
        + " deviated from the protocol (SPDZ aborts without telling which); no result was opened. Investigate those nodes, then submit the job again",
        cause);
    this.detectedBy = detectedBy;
    this.suspects = List.copyOf(suspects);
  }

  public OrgId detectedBy() {
    return detectedBy;
  }

  /** The other parties: one of them (at least) deviated. */
  public List<OrgId> suspects() {
    return suspects;
  }
}
