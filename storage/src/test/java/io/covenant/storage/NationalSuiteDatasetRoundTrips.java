package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.crypto.DataKey;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.cipher.ShardCipher;
import io.covenant.storage.cipher.ShardId;
import io.covenant.storage.cipher.TamperedShardException;
import io.covenant.storage.dataset.ShardRef;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset published by an owner with an SM2 key is sealed with SM4-GCM and addressed by sm3-256 CIDs (multihash
 * 0x534d), reads back identically, and a flipped byte or a shard of the other suite is caught.
 */
class NationalSuiteDatasetRoundTrips {
  @TempDir Path dir;

  @Test
  void sm2OwnerPublishesSm4ShardsUnderSm3Cids() {
    Published p = Published.into(new LocalBlockstore(dir), "hospital-a/claims@1", DataKey.generate(), CryptoSuite.SM.generateSigningKey(), 3_000, 1_000, 0);
    assertEquals(Cid.SM3_256, p.dataset().manifestCid().multihashCode());
    for (ShardRef r : p.manifest().manifest().shards()) {
      assertEquals(Cid.SM3_256, r.cid().multihashCode());
      assertEquals(CryptoSuite.SM, Cid.parse(r.cid().toString()).suite());
    }
    assertEquals(CryptoSuite.SM, p.manifest().manifest().suite());
    assertTrue(p.manifest().verifiedBy(p.owner().verifyingKey()));
    assertEquals(3_000, p.readAll(p.manifest(), p.key()).size());

    Cid first = p.manifest().manifest().shards().get(0).cid();
    p.flipByte(first, 20);
    assertThrows(io.covenant.core.error.IntegrityException.class, () -> p.readAll(p.manifest(), p.key()));
  }

  @Test
  void aShardOfTheOtherSuiteIsRefusedByName() {
    DataKey key = DataKey.generate();
    ShardId id = new ShardId(io.covenant.core.id.DatasetVersion.parse("hospital-a/claims@1"), 0);
    byte[] aes = new ShardCipher(key, CryptoSuite.INTL).seal(id, new byte[100]);
    TamperedShardException e = assertThrows(TamperedShardException.class, () -> new ShardCipher(key, CryptoSuite.SM).open(id, aes));
    assertTrue(e.getMessage().contains("never mixes suites"), e.getMessage());
    byte[] sm4 = new ShardCipher(key, CryptoSuite.SM).seal(id, new byte[100]);
    assertEquals(100, new ShardCipher(key, CryptoSuite.SM).open(id, sm4).length);
    sm4[0] = 1; // relabelled as AES: the format byte is in the AAD, so it fails authentication under AES too
    assertThrows(TamperedShardException.class, () -> new ShardCipher(key, CryptoSuite.INTL).open(id, sm4));
  }
}
