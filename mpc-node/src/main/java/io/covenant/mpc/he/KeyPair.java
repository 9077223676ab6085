package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;

/**
 * A consumer's SEAL key pair: the secret key stays in its evaluator; the public key's SHA-256 names the key, so that a
 * ciphertext made for another key is refused before decryption is attempted.
 */
public record KeyPair(HeHandle.SecretKey secretKey, HeHandle.PublicKey publicKey, SealBytes publicKeyBytes) {
  public Digest keyId() {
    return publicKeyBytes.digest();
  }
}
