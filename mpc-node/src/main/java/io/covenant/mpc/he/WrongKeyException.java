package io.covenant.mpc.he;

import io.covenant.core.error.IntegrityException;

/**
 * Ciphertexts that this key cannot open: made under another consumer's public key (refused before decryption, by the
 * key id they carry), or relabelled with this key's id but decrypting to garbage (detected after decryption, because
 * the consumer's own probe values come out far from their plaintext values). No value is released either way.
 */
public final class WrongKeyException extends IntegrityException {
  public WrongKeyException(String message) {
    super(message);
  }
}
