package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;

/**
 * One SEAL object in SEAL's own serialisation ({@code save()}, uncompressed): what crosses between organisations and
 * what the ledger hashes. {@link #digest()} is the SHA-256 of exactly these bytes. Never a secret key: SEAL's secret
 * keys stay inside the sidecar that made them, and there is no kind for them.
 */
public record SealBytes(Kind kind, byte[] bytes) {

  /** What the bytes are. */
  public enum Kind { PARAMETERS, PUBLIC_KEY, RELIN_KEYS, GALOIS_KEYS, CIPHERTEXT }

  public SealBytes {
    if (kind == null || bytes == null || bytes.length == 0) throw new MalformedInputException("SEAL bytes need a kind and at least one byte");
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The number of bytes, without copying them. */
  public int size() {
    return bytes.length;
  }

  /** The SHA-256 of the serialised object ({@code FixedAlgorithms.heObjectDigest}): what the ledger records for it. */
  public Digest digest() {
    return Digest.of(io.covenant.core.crypto.FixedAlgorithms.heObjectDigest().digest(bytes));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SealBytes s && s.kind == kind && java.util.Arrays.equals(s.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + java.util.Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return kind + " (" + bytes.length + " bytes, sha256 " + digest().shortForm() + ")";
  }
}
