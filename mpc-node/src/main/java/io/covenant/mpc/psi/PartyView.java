package io.covenant.mpc.psi;

/**
 * Receives a party's own secrets as a protocol draws them (its ECDH scalar, its OT-extension rows and codewords), so
 * that a test can take the place of a curious party, which knows its own secrets and its transcript, and check what
 * that party can compute. Production runs use {@link #NONE}; nothing here is ever logged or sent.
 */
interface PartyView {
  PartyView NONE = (what, value) -> {};

  void record(String what, Object value);

  /** Rows [start, start + rows.length / width words) of a matrix the party holds. */
  record BatchRows(int start, long[] rows) {}
}
