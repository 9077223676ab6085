package io.covenant.storage.cipher;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.id.DatasetVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * The sealed form is {@code 0x01 || AES-256-GCM(key, nonce = 0^8 || be32(index), aad) }; this opens shards with
 * BouncyCastle's independent GCM, from nothing but the layout written in ShardCipher's Javadoc.
 */
class ShardCipherMatchesItsDocumentedConstruction {
  private static final DatasetVersion V = DatasetVersion.parse("hospital-a/claims@3");

  @Test
  void bouncyCastleOpensWhatShardCipherSeals() throws Exception {
    byte[] rawKey = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    DataKey key = DataKey.fromBytes(rawKey);
    ShardCipher cipher = new ShardCipher(key);
    // Sizes around the 64 KiB pieces the cipher feeds through update(), up to a full shard.
    int[] sizes = {0, 1, 65_535, 65_536, 65_537, 200_000, 1_048_576 - ShardCipher.OVERHEAD};
    for (int i = 0; i < sizes.length; i++) {
      byte[] plain = new byte[sizes[i]];
      new Random(i).nextBytes(plain);
      ShardId id = new ShardId(V, 17 + i);
      byte[] sealed = cipher.seal(id, plain);
      assertEquals(plain.length + ShardCipher.OVERHEAD, sealed.length);
      assertEquals(1, sealed[0]);

      byte[] label = "covenant-shard".getBytes(StandardCharsets.US_ASCII);
      byte[] ds = "hospital-a/claims".getBytes(StandardCharsets.UTF_8);
      byte[] aad = ByteBuffer.allocate(label.length + 2 + 4 + ds.length + 8)
          .put(label).put((byte) 0).put((byte) 1).putInt(ds.length).put(ds).putInt(3).putInt(17 + i).array();
      byte[] nonce = ByteBuffer.allocate(12).putLong(0).putInt(17 + i).array();
      GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
      gcm.init(false, new AEADParameters(new KeyParameter(rawKey), 128, nonce, aad));
      byte[] out = new byte[gcm.getOutputSize(sealed.length - 1)];
      int n = gcm.processBytes(sealed, 1, sealed.length - 1, out, 0);
      n += gcm.doFinal(out, n);
      assertArrayEquals(plain, Arrays.copyOf(out, n), "size " + sizes[i]);
      assertArrayEquals(plain, new ShardCipher(key).open(id, sealed), "size " + sizes[i]);
    }
  }

  @Test
  void everySingleBitFlipIsDetected() {
    DataKey key = DataKey.generate();
    ShardId id = new ShardId(V, 0);
    byte[] sealed = new ShardCipher(key).seal(id, "a small shard".getBytes(StandardCharsets.UTF_8));
    ShardCipher reader = new ShardCipher(key);
    for (int bit = 0; bit < sealed.length * 8; bit++) {
      byte[] bad = sealed.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(TamperedShardException.class, () -> reader.open(id, bad), "bit " + bit);
    }
    assertThrows(TamperedShardException.class, () -> reader.open(id, Arrays.copyOf(sealed, sealed.length - 1)));
    assertThrows(TamperedShardException.class, () -> reader.open(id, new byte[3]));
  }

  @Test
  void aNonceIsNeverUsedTwiceByOneCipher() {
    ShardCipher cipher = new ShardCipher(DataKey.generate());
    cipher.seal(new ShardId(V, 0), new byte[10]);
    assertThrows(IllegalStateException.class, () -> cipher.seal(new ShardId(V, 0), new byte[10]));
    assertThrows(IllegalStateException.class, () -> cipher.seal(new ShardId(DatasetVersion.parse("hospital-a/claims@4"), 1), new byte[10]));
    cipher.seal(new ShardId(V, 1), new byte[10]);
  }

  @Test
  void theKeyNeverAppearsInText() {
    byte[] raw = new byte[32];
    Arrays.fill(raw, (byte) 0xAB);
    ShardCipher cipher = new ShardCipher(DataKey.fromBytes(raw));
    assertFalse(cipher.toString().toLowerCase().contains("abab"));
    TamperedShardException e = assertThrows(TamperedShardException.class, () -> cipher.open(new ShardId(V, 0), new byte[40]));
    assertFalse(e.getMessage().toLowerCase().contains("abab"));
  }
}
