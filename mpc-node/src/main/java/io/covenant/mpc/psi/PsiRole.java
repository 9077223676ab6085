package io.covenant.mpc.psi;

/**
 * The two sides of a PSI run. The receiver always learns the intersection; the sender learns it only when the job's
 * {@link Delivery} is {@link Delivery#BOTH}. In KKRT16 the receiver is the OPRF receiver (its set is cuckoo-hashed and
 * it sends about 81 bytes per element), so the smaller set should be the receiver's.
 */
public enum PsiRole {
  SENDER,
  RECEIVER;

  public PsiRole other() {
    return this == SENDER ? RECEIVER : SENDER;
  }
}
