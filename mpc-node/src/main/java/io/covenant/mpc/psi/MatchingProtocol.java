package io.covenant.mpc.psi;

/** The cryptographic core of a PSI protocol, between the handshake and the delivery of the result (see {@link PsiParty}). */
interface MatchingProtocol {
  /**
   * The receiver's side. Returns, for each of the receiver's distinct ids, the position at which the sender sent the same
   * id (in the sender's sending order), or -1.
   */
  int[] runAsReceiver(PsiRun run);

  /** The sender's side. Returns its sending order: position p carried the sender's distinct id {@code order[p]}. */
  int[] runAsSender(PsiRun run);
}
