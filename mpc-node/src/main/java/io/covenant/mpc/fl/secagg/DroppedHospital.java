package io.covenant.mpc.fl.secagg;

import io.covenant.core.id.OrgId;

/** A hospital that joined a round and then did not finish it: who, at which step, and what its link reported. */
public record DroppedHospital(OrgId hospital, String step, String why) {
  @Override
  public String toString() {
    return hospital + " (at " + step + ")";
  }
}
