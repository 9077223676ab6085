package io.covenant.mpc.fl.secagg;

import io.covenant.core.crypto.FixedAlgorithms;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The PRG of Bonawitz et al.: a 32-byte seed (an agreed X25519 secret, or a self-mask seed b_u) expanded to m words of
 * Z_2^64 by AES-128-CTR (zero IV: every key is used for one expansion only), keyed by the first 16 bytes of
 * SHA-256(label ‖ round ‖ seed). AES-128 matches X25519's 128-bit security level and runs about 1.4× faster than
 * AES-256. The label separates pairwise masks from self masks and from the share-encryption keys.
 *
 * <p>The keystream is added to (or subtracted from) the caller's vector in 64 KiB pieces rather than materialised:
 * a hospital expands n masks of m words per round, and holding each as a fresh array doubled the memory traffic.
 */
final class MaskExpansion {
  private static final int PIECE_BYTES = 64 * 1024;
  private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private MaskExpansion() {}

  /** acc += sign · PRG(pairwise key from {@code agreedSecret}). */
  static void addPairwise(long[] acc, byte[] agreedSecret, int round, int sign) {
    addKeystream(acc, key("covenant/secagg/pairwise-mask", round, agreedSecret, 16), sign);
  }

  /** acc += sign · PRG(self-mask key from {@code seed}). */
  static void addSelf(long[] acc, byte[] seed, int round, int sign) {
    addKeystream(acc, key("covenant/secagg/self-mask", round, seed, 16), sign);
  }

  static SecretKeySpec key(String label, int round, byte[] secret, int keyBytes) {
    byte[] l = label.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(l.length + 4 + secret.length);
    b.put(l).putInt(round).put(secret);
    return FixedAlgorithms.aesKey(Arrays.copyOf(FixedAlgorithms.secAggKeyDerivation().digest(b.array()), keyBytes));
  }

  private static void addKeystream(long[] acc, SecretKeySpec key, int sign) {
    try {
      // CTR mode computed as ECB over counter blocks: keystream block i = AES_k(i), i as a 128-bit big-endian counter
      // from 0, which is what AES/CTR/NoPadding with a zero IV gives (a test checks the two agree). The JDK's ECB path
      // uses the vectorised AES instructions and runs ten times faster here than its CTR path on the same CPU.
      Cipher aes = FixedAlgorithms.aesEcb();
      aes.init(Cipher.ENCRYPT_MODE, key);
      byte[] counters = new byte[PIECE_BYTES];
      byte[] stream = new byte[PIECE_BYTES];
      long block = 0;
      for (int word = 0; word < acc.length; word += PIECE_BYTES / 8) {
        int words = Math.min(PIECE_BYTES / 8, acc.length - word);
        int blocks = (words + 1) / 2;
        for (int b = 0; b < blocks; b++) {
          WORDS.set(counters, b * 16, 0L);
          WORDS.set(counters, b * 16 + 8, block++);
        }
        aes.update(counters, 0, blocks * 16, stream, 0);
        if (sign > 0) for (int i = 0; i < words; i++) acc[word + i] += (long) WORDS.get(stream, i * 8);
        else for (int i = 0; i < words; i++) acc[word + i] -= (long) WORDS.get(stream, i * 8);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES/ECB/NoPadding is unavailable", e);
    }
  }

  /** The keystream as words, through the JDK's own CTR mode: the reference {@link #addKeystream} is checked against. */
  static long[] referenceKeystream(SecretKeySpec key, int m) {
    try {
      Cipher aes = FixedAlgorithms.aesCtr();
      aes.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(new byte[16]));
      byte[] out = aes.doFinal(new byte[m * 8]);
      long[] w = new long[m];
      ByteBuffer.wrap(out).asLongBuffer().get(w);
      return w;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's AES/CTR/NoPadding is unavailable", e);
    }
  }
}
