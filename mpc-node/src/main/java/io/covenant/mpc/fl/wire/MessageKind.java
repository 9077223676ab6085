package io.covenant.mpc.fl.wire;

/** The first byte of every frame of the federated protocols: which step's message it is. */
public enum MessageKind {
  // Federated rounds (io.covenant.mpc.fl).
  ROUND_START(20), JOIN(21), DECLINE(22), PLAIN_UPDATE(23), FINISH(24),
  // Secure aggregation (io.covenant.mpc.fl.secagg), named after the rounds of Bonawitz et al. 2017.
  ADVERTISE_KEYS(1), KEY_LIST(2), SHARE_KEYS(3), SHARES_FOR_YOU(4), MASKED_INPUT(5), UNMASK_REQUEST(6), UNMASK_SHARES(7), ABORT(9);

  private final byte tag;

  MessageKind(int tag) {
    this.tag = (byte) tag;
  }

  public byte tag() {
    return tag;
  }

  static MessageKind ofTag(byte tag) {
    for (MessageKind k : values()) if (k.tag == tag) return k;
    return null;
  }
}
