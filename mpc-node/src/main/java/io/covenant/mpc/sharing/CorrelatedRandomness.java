package io.covenant.mpc.sharing;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pairwise-shared PRF keys, the correlated randomness of Araki et al. (CCS 2016, §2.2): each party i draws an AES-256
 * key k_i and gives it to party i-1, so party i holds k_i (shared with its previous party) and k_{i+1} (shared with
 * its next party). Then, with F a PRF,
 * <ul>
 *   <li>alpha_i = F(k_i, step) - F(k_{i+1}, step) is a sharing of zero: alpha_0 + alpha_1 + alpha_2 = 0, and
 *       each alpha_i looks random to the other two parties, who miss one of its keys;</li>
 *   <li>F(k_i, step) alone is a random vector known to exactly parties i-1 and i.</li>
 * </ul>
 * F(k, step) is the AES-256-CTR keystream under key k with initial counter block step ‖ 0^64, so word pair j of the
 * output is AES_k(step ‖ j): a PRF as long as fewer than 2^64 blocks are drawn per step (NIST SP 800-38A §6.5 for
 * CTR mode; the PRP/PRF switching lemma for AES as a PRF). This is the JDK's AES, with its hardware intrinsics.
 *
 * <p>All three parties run the same program, so they call {@link #nextStep()} in lockstep and a step number is never
 * reused with the same key. Setting up costs one round: 4 words to the previous party.
 *
 * <p>The keys are sent in the clear over the party channel: that channel must be confidential (loopback, or TLS
 * between hosts). Never printed.
 */
public final class CorrelatedRandomness {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Party self;
  private final SecretKeySpec sharedWithPrevious;
  private final SecretKeySpec sharedWithNext;
  private long nextStep;

  private CorrelatedRandomness(Party self, byte[] ownKey, byte[] nextPartysKey) {
    this.self = self;
    this.sharedWithPrevious = new SecretKeySpec(ownKey, "AES");
    this.sharedWithNext = new SecretKeySpec(nextPartysKey, "AES");
  }

  /** Draws this party's key, sends it to the previous party and receives the next party's key. All three call this. */
  public static CorrelatedRandomness establish(PartyChannel channel) {
    byte[] own = new byte[32];
    RANDOM.nextBytes(own);
    long[] words = new long[4];
    ByteBuffer.wrap(own).asLongBuffer().get(words);
    channel.sendToPrevious(words);
    Arrays.fill(words, 0);
    long[] received = channel.receiveFromNext();
    if (received.length != 4) {
      throw new MalformedInputException(channel.committee().describe(channel.self().next()) + " sent " + received.length
          + " words where a 4-word PRF key was expected: the parties are not running the same protocol version");
    }
    byte[] next = new byte[32];
    ByteBuffer.wrap(next).asLongBuffer().put(received);
    Arrays.fill(received, 0);
    try {
      return new CorrelatedRandomness(channel.self(), own, next);
    } finally {
      Arrays.fill(own, (byte) 0);
      Arrays.fill(next, (byte) 0);
    }
  }

  /** For known-answer tests: the keys are copied. */
  static CorrelatedRandomness fromKeys(Party self, byte[] ownKey, byte[] nextPartysKey) {
    return new CorrelatedRandomness(self, ownKey.clone(), nextPartysKey.clone());
  }

  public Party self() {
    return self;
  }

  /** Starts the next protocol step; every party starts every step, whether or not it draws randomness in it. */
  public Step nextStep() {
    return new Step(nextStep++);
  }

  /** The randomness of one protocol step. Each key stream can be drawn once per step. */
  public final class Step {
    private final long number;
    private boolean previousUsed;
    private boolean nextUsed;

    private Step(long number) {
      this.number = number;
    }

    /** F(k_i, step): random words that this party and its previous party both compute. */
    public long[] sharedWithPrevious(int n) {
      if (previousUsed) throw new IllegalStateException("step " + number + " already drew from the key shared with the previous party");
      previousUsed = true;
      return keystream(sharedWithPrevious, number, n);
    }

    /** F(k_{i+1}, step): random words that this party and its next party both compute. */
    public long[] sharedWithNext(int n) {
      if (nextUsed) throw new IllegalStateException("step " + number + " already drew from the key shared with the next party");
      nextUsed = true;
      return keystream(sharedWithNext, number, n);
    }

    /** alpha_i = F(k_i, step) - F(k_{i+1}, step); the three parties' vectors sum to zero. */
    public long[] zeroShare(int n) {
      long[] a = sharedWithPrevious(n);
      long[] b = sharedWithNext(n);
      for (int j = 0; j < n; j++) a[j] -= b[j];
      return a;
    }
  }

  static long[] keystream(SecretKeySpec key, long step, int n) {
    byte[] iv = new byte[16];
    ByteBuffer.wrap(iv).putLong(step);
    byte[] buffer = new byte[Math.multiplyExact(n, Long.BYTES)];
    try {
      Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      // Encrypting zeros in place yields the keystream itself.
      aes.doFinal(buffer, 0, buffer.length, buffer, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES/CTR/NoPadding is unavailable", e);
    }
    long[] out = new long[n];
    ByteBuffer.wrap(buffer).asLongBuffer().get(out);
    return out;
  }

  @Override
  public String toString() {
    return "CorrelatedRandomness[" + self + ", keys redacted]";
  }
}
