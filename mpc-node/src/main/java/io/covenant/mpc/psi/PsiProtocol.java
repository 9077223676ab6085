package io.covenant.mpc.psi;

/** The two PSI protocols a job can name. Both give the same intersection; they differ in cost (see mpc-node/README.md). */
public enum PsiProtocol {
  /** Diffie–Hellman PSI over P-256 with RFC 9380 hashing to the curve: {@link EcdhPsi}. Fewest bytes. */
  ECDH_P256("ecdh-p256-sswu-v1"),
  /** KKRT16 batched OPRF on an IKNP-style OT extension with cuckoo hashing: {@link KkrtPsi}. Fastest. */
  KKRT16("kkrt16-iknp-co15-v1");

  private final String wireName;

  PsiProtocol(String wireName) {
    this.wireName = wireName;
  }

  /** The name both parties compare in their first message, with its version. */
  public String wireName() {
    return wireName;
  }
}
