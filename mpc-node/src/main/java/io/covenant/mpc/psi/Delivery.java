package io.covenant.mpc.psi;

/** Who learns the intersection, as the job (and the owners' policies) allow. The coordinator never does. */
public enum Delivery {
  /** Only the receiver learns which of its rows are in the intersection; the sender learns only the two set sizes. */
  RECEIVER_ONLY,
  /** Both learn their own rows in the intersection, aligned pair by pair (required by the payload mode). */
  BOTH
}
