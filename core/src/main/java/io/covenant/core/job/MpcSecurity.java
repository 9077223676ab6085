package io.covenant.core.job;

import io.covenant.core.error.MalformedInputException;

/**
 * Which adversary a multi-party query is secure against (docs/threat-model.md, "Multi-party engine: security modes").
 * The consumer chooses it in the job; it is part of the computation, so its hash on the ledger binds it and no
 * coordinator can change it; each owner's node checks it against its own policy ({@code mpc.security}).
 */
public enum MpcSecurity {
  /**
   * Semi-honest, honest majority (the default): 2-of-3 replicated secret sharing over Z_2^64. Inputs stay confidential
   * while at most one of the three parties is corrupt and follows the protocol; a party that deviates can change the
   * result without being detected.
   */
  SEMI_HONEST("semi-honest"),
  /**
   * Malicious, dishonest majority, with abort: SPDZ with MASCOT preprocessing. Any number of parties but one may
   * deviate arbitrarily; a deviation is detected by the MAC check before any output is opened and aborts the job. No
   * fairness and no guaranteed output; small computations only.
   */
  MALICIOUS("malicious");

  private final String wireName;

  MpcSecurity(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a job run in this mode satisfies a policy that requires {@code required}. */
  public boolean satisfies(MpcSecurity required) {
    return this == MALICIOUS || required == SEMI_HONEST;
  }

  public static MpcSecurity parse(String text) {
    for (MpcSecurity s : values()) if (s.wireName.equals(text)) return s;
    throw new MalformedInputException("security '" + text + "' is not known: use semi-honest (the default: honest majority, secure while parties "
        + "follow the protocol) or malicious (SPDZ: detects a deviating party and aborts; small computations only)");
  }
}
