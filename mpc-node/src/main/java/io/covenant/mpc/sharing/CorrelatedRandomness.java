package io.covenant.mpc.sharing;

import io.covenant.core.crypto.FixedAlgorithms;
import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.transport.Party;
import io.covenant.mpc.transport.PartyChannel;
import java.nio.ByteBuffer;
import java.nio.LongBuffer;
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
  /**
   * Keystream is produced in slices of this many bytes. The JDK's AES-CTR intrinsic (AES-NI/VAES) only runs once
   * {@code CounterMode.implCrypt} is JIT-compiled: one call over a whole large vector stays in the interpreter and ran at
   * 0.4 GB/s on the build machine, against about 5 GB/s for many 32 KiB calls on a reused cipher.
   */
  private static final int SLICE_BYTES = 1 << 15;
  private static final byte[] ZEROS = new byte[SLICE_BYTES];
  private final Party self;
  private final SecretKeySpec sharedWithPrevious;
  private final SecretKeySpec sharedWithNext;
  private final Keystream previousStream;
  private final Keystream nextStream;
  private long nextStep;

  private CorrelatedRandomness(Party self, byte[] ownKey, byte[] nextPartysKey) {
    this.self = self;
    this.sharedWithPrevious = FixedAlgorithms.aesKey(ownKey);
    this.sharedWithNext = FixedAlgorithms.aesKey(nextPartysKey);
    this.previousStream = new Keystream(sharedWithPrevious);
    this.nextStream = new Keystream(sharedWithNext);
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
      return previousStream.words(number, n);
    }

    /** F(k_{i+1}, step): random words that this party and its next party both compute. */
    public long[] sharedWithNext(int n) {
      if (nextUsed) throw new IllegalStateException("step " + number + " already drew from the key shared with the next party");
      nextUsed = true;
      return nextStream.words(number, n);
    }

    /**
     * alpha_i = F(k_i, step) - F(k_{i+1}, step); the three parties' vectors sum to zero. Both keystreams are drawn
     * slice by slice into the result, without a second vector.
     */
    public long[] zeroShare(int n) {
      return maskedCrossProducts(null, null, null, null, n);
    }

    /**
     * alpha_i = F(k_i, step) ⊕ F(k_{i+1}, step): a sharing of zero under XOR, for boolean shares; drawn slice by slice
     * like {@link #zeroShare}.
     */
    public long[] xorZeroShare(int n) {
      if (previousUsed || nextUsed) throw new IllegalStateException("step " + number + " already drew from one of its keys");
      previousUsed = true;
      nextUsed = true;
      long[] out = new long[n];
      previousStream.start(number);
      nextStream.start(number);
      long[] slice = new long[SLICE_BYTES / Long.BYTES];
      for (int from = 0; from < n; from += slice.length) {
        int len = Math.min(slice.length, n - from);
        previousStream.next(out, from, len);
        nextStream.next(slice, 0, len);
        for (int j = 0; j < len; j++) out[from + j] ^= slice[j];
      }
      return out;
    }

    /**
     * alpha_i + x_i·y_i + x_i·y_{i+1} + x_{i+1}·y_i, the masked 3-out-of-3 product share of Araki et al. (CCS 2016),
     * computed slice by slice while the keystream is still in cache: one pass over memory instead of three. With null
     * operands it is the zero share alone.
     */
    long[] maskedCrossProducts(long[] x0, long[] x1, long[] y0, long[] y1, int n) {
      if (previousUsed || nextUsed) throw new IllegalStateException("step " + number + " already drew from one of its keys");
      previousUsed = true;
      nextUsed = true;
      long[] out = new long[n];
      previousStream.start(number);
      nextStream.start(number);
      long[] slice = new long[SLICE_BYTES / Long.BYTES];
      for (int from = 0; from < n; from += slice.length) {
        int len = Math.min(slice.length, n - from);
        previousStream.next(out, from, len);
        nextStream.next(slice, 0, len);
        if (x0 == null) {
          for (int j = 0; j < len; j++) out[from + j] -= slice[j];
        } else {
          for (int j = 0, k = from; j < len; j++, k++) out[k] += x0[k] * (y0[k] + y1[k]) + x1[k] * y0[k] - slice[j];
        }
      }
      return out;
    }
  }

  /** F(k, ·) for one key, on a cipher that is reused from step to step so that the JIT's AES intrinsic stays hot. */
  private static final class Keystream {
    private final SecretKeySpec key;
    private final Cipher aes;
    private final byte[] bytes = new byte[SLICE_BYTES];
    private final LongBuffer words = ByteBuffer.wrap(bytes).asLongBuffer();

    Keystream(SecretKeySpec key) {
      this.key = key;
      this.aes = FixedAlgorithms.aesCtr();
    }

    /** Positions the stream at block (step ‖ 0). */
    void start(long step) {
      byte[] iv = new byte[16];
      ByteBuffer.wrap(iv).putLong(step);
      try {
        aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR rejected a 256-bit key", e);
      }
    }

    /** The next {@code len} words of the stream (big-endian, as AES_k(step ‖ j) reads), into out[from, from+len). */
    void next(long[] out, int from, int len) {
      int byteCount = len * Long.BYTES;
      try {
        // Encrypting zeros yields the keystream itself.
        aes.update(ZEROS, 0, byteCount, bytes, 0);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES-CTR failed on a buffer of the right size", e);
      }
      words.clear();
      words.get(out, from, len);
    }

    long[] words(long step, int n) {
      start(step);
      long[] out = new long[n];
      for (int from = 0; from < n; from += SLICE_BYTES / Long.BYTES) next(out, from, Math.min(SLICE_BYTES / Long.BYTES, n - from));
      return out;
    }
  }

  static long[] keystream(SecretKeySpec key, long step, int n) {
    return new Keystream(key).words(step, n);
  }

  @Override
  public String toString() {
    return "CorrelatedRandomness[" + self + ", keys redacted]";
  }
}
