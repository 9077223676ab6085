package io.covenant.mpc.he;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import java.util.List;

/**
 * The data owner's answer: one CKKS ciphertext per block of rows, under the consumer's key. In each block the first
 * {@code rowsPerBlock} slots hold the owner's rows' scores (the last block fewer), the next {@code probes} slots the
 * consumer's probe rows' scores; other slots hold the score of an all-zero row.
 *
 * @param keyId the SHA-256 of the public key the scores are under (the consumer refuses another key's scores)
 * @param modelDigest the encrypted model these scores were computed from
 * @param noiseAmplitude the owner's output noise: each row score carries noise uniform in ±noiseAmplitude
 */
public record EncryptedScores(Digest keyId, Digest modelDigest, int rows, int rowsPerBlock, int probes, double noiseAmplitude, List<SealBytes> blocks) {

  public EncryptedScores {
    blocks = List.copyOf(blocks);
    if (rows < 1 || rowsPerBlock < 1 || probes < 0) throw new MalformedInputException("encrypted scores cover at least one row");
    int expected = (rows + rowsPerBlock - 1) / rowsPerBlock;
    if (blocks.size() != expected) {
      throw new MalformedInputException(rows + " rows at " + rowsPerBlock + " per block need " + expected + " ciphertexts; got " + blocks.size());
    }
  }

  /** The SHA-256 the ledger records for the encrypted scores. */
  public Digest digest() {
    return HeWire.scoresDigest(this);
  }

  public long bytes() {
    return blocks.stream().mapToLong(SealBytes::size).sum();
  }
}
