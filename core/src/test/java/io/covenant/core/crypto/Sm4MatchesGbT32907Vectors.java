package io.covenant.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.covenant.core.error.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.engines.SM4Engine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The SM4 block cipher under the national suite's SM4-GCM, against GB/T 32907-2016 Appendix A (examples 1 and 2), and
 * the GCM construction over it round-tripping and refusing altered input.
 */
class Sm4MatchesGbT32907Vectors {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] KEY = HEX.parseHex("0123456789abcdeffedcba9876543210");

  /** GB/T 32907-2016 Appendix A, example 1: one encryption of the plaintext equal to the key. */
  @Test
  void oneBlock() {
    SM4Engine sm4 = new SM4Engine();
    sm4.init(true, new KeyParameter(KEY));
    byte[] out = new byte[16];
    sm4.processBlock(KEY, 0, out, 0);
    assertEquals("681edf34d206965e86b3e94f536e4246", HEX.formatHex(out));
  }

  /** GB/T 32907-2016 Appendix A, example 2: the same plaintext encrypted 1,000,000 times with the same key. */
  @Test
  void oneMillionIterations() {
    SM4Engine sm4 = new SM4Engine();
    sm4.init(true, new KeyParameter(KEY));
    byte[] block = KEY.clone();
    byte[] next = new byte[16];
    for (int i = 0; i < 1_000_000; i++) {
      sm4.processBlock(block, 0, next, 0);
      byte[] t = block;
      block = next;
      next = t;
    }
    assertEquals("595298c7c6fd271f0402f804c33d3f66", HEX.formatHex(block));
  }

  @Test
  void gcmRoundTripsAndRefusesAlteredBytes() {
    byte[] nonce = new byte[12];
    byte[] aad = "covenant-shard".getBytes(StandardCharsets.US_ASCII);
    byte[] sealed = Sm4Gcm.seal(KEY, nonce, aad, "claims".getBytes(StandardCharsets.US_ASCII));
    assertEquals(6 + 16, sealed.length);
    assertArrayEquals("claims".getBytes(StandardCharsets.US_ASCII), Sm4Gcm.open(KEY, nonce, aad, sealed));
    sealed[0] ^= 1;
    assertThrows(IntegrityException.class, () -> Sm4Gcm.open(KEY, nonce, aad, sealed));
  }
}
