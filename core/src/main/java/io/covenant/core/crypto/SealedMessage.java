package io.covenant.core.crypto;

import io.covenant.core.error.MalformedInputException;
import java.nio.ByteBuffer;

/** An HPKE single-shot ciphertext: the encapsulated key and the AEAD ciphertext. */
public record SealedMessage(byte[] encapsulatedKey, byte[] ciphertext) {
  public SealedMessage {
    encapsulatedKey = encapsulatedKey.clone();
    ciphertext = ciphertext.clone();
  }

  @Override
  public byte[] encapsulatedKey() {
    return encapsulatedKey.clone();
  }

  @Override
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  /** enc length (2 bytes) || enc || ciphertext. */
  public byte[] toBytes() {
    return ByteBuffer.allocate(2 + encapsulatedKey.length + ciphertext.length)
        .putShort((short) encapsulatedKey.length)
        .put(encapsulatedKey)
        .put(ciphertext)
        .array();
  }

  public static SealedMessage fromBytes(byte[] b) {
    if (b == null || b.length < 2) throw new MalformedInputException("sealed message is empty");
    int n = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    if (n > b.length - 2) throw new MalformedInputException("sealed message is truncated");
    byte[] enc = new byte[n];
    byte[] ct = new byte[b.length - 2 - n];
    System.arraycopy(b, 2, enc, 0, n);
    System.arraycopy(b, 2 + n, ct, 0, ct.length);
    return new SealedMessage(enc, ct);
  }

  @Override
  public String toString() {
    return "SealedMessage[" + ciphertext.length + " bytes]";
  }
}
