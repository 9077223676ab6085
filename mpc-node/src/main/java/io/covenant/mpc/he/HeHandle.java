package io.covenant.mpc.he;

/**
 * An opaque reference to an object that lives inside an {@link HeEvaluator} (a SEAL object in the sidecar, or in native
 * memory for a JNI binding). A handle carries no key material; it is valid only in the evaluator and the evaluator
 * generation (the sidecar process) that made it.
 */
public sealed interface HeHandle {
  /** The parameters and evaluator the object belongs to. */
  HeContext context();

  /** The evaluator's own name for the object. */
  int id();

  /** Handles that may be serialised and sent to another organisation: everything except a secret key. */
  sealed interface Shareable extends HeHandle {
    SealBytes.Kind kind();
  }

  /** A secret key: it can decrypt and make evaluation keys, and it cannot be saved or sent. */
  record SecretKey(HeContext context, int id) implements HeHandle {}

  record PublicKey(HeContext context, int id) implements Shareable {
    @Override
    public SealBytes.Kind kind() {
      return SealBytes.Kind.PUBLIC_KEY;
    }
  }

  /** Relinearisation keys: let the holder shrink a product back to two polynomials; they decrypt nothing. */
  record RelinKeys(HeContext context, int id) implements Shareable {
    @Override
    public SealBytes.Kind kind() {
      return SealBytes.Kind.RELIN_KEYS;
    }
  }

  /** Galois keys for the rotation steps they were made for; they decrypt nothing. */
  record GaloisKeys(HeContext context, int id) implements Shareable {
    @Override
    public SealBytes.Kind kind() {
      return SealBytes.Kind.GALOIS_KEYS;
    }
  }

  record Ciphertext(HeContext context, int id) implements Shareable {
    @Override
    public SealBytes.Kind kind() {
      return SealBytes.Kind.CIPHERTEXT;
    }
  }
}
