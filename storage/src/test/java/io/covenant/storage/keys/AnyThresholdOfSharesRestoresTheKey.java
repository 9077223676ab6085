package io.covenant.storage.keys;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.storage.cipher.ShardCipher;
import io.covenant.storage.cipher.ShardId;
import io.covenant.storage.cipher.TamperedShardException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnyThresholdOfSharesRestoresTheKey {
  private static final ShardId SHARD = new ShardId(DatasetVersion.parse("hospital-a/claims@1"), 0);

  private static void subsets(List<KeyShare> all, int k, int from, List<KeyShare> chosen, List<List<KeyShare>> out) {
    if (chosen.size() == k) {
      out.add(List.copyOf(chosen));
      return;
    }
    for (int i = from; i < all.size(); i++) {
      chosen.add(all.get(i));
      subsets(all, k, i + 1, chosen, out);
      chosen.remove(chosen.size() - 1);
    }
  }

  @Test
  void everySubsetOfThresholdSizeInAnyOrderRestoresTheSameKey() {
    int[][] splits = {{2, 2}, {2, 3}, {3, 5}, {4, 6}, {5, 5}};
    for (int[] kn : splits) {
      DataKey key = DataKey.generate();
      byte[] sealed = new ShardCipher(key).seal(SHARD, "a shard".getBytes(StandardCharsets.UTF_8));
      List<KeyShare> shares = ShamirKeySplit.split(key, kn[0], kn[1]);
      assertEquals(kn[1], shares.size());
      List<List<KeyShare>> combos = new ArrayList<>();
      subsets(shares, kn[0], 0, new ArrayList<>(), combos);
      for (List<KeyShare> combo : combos) {
        List<KeyShare> shuffled = new ArrayList<>(combo);
        Collections.reverse(shuffled);
        for (List<KeyShare> c : List.of(combo, shuffled)) {
          DataKey restored = ShamirKeySplit.combine(c);
          assertArrayEquals(key.exportForWrapping(), restored.exportForWrapping(), kn[0] + "-of-" + kn[1]);
          assertArrayEquals("a shard".getBytes(StandardCharsets.UTF_8), new ShardCipher(restored).open(SHARD, sealed));
        }
      }
      // More shares than needed, and shares that went through their text form, work too.
      List<KeyShare> viaText = shares.stream().map(s -> KeyShare.parse(s.encode())).toList();
      assertEquals(shares, viaText);
      assertArrayEquals(key.exportForWrapping(), ShamirKeySplit.combine(viaText).exportForWrapping());
    }
  }

  @Test
  void tooFewDuplicatedOrMixedSharesAreRefused() {
    DataKey key = DataKey.generate();
    List<KeyShare> shares = ShamirKeySplit.split(key, 3, 5);
    MalformedInputException few = assertThrows(MalformedInputException.class, () -> ShamirKeySplit.combine(shares.subList(0, 2)));
    assertTrue(few.getMessage().contains("needs 3 distinct shares"), few.getMessage());
    assertThrows(MalformedInputException.class, () -> ShamirKeySplit.combine(List.of(shares.get(0), shares.get(0), shares.get(1))));
    List<KeyShare> other = ShamirKeySplit.split(key, 3, 5);
    assertThrows(MalformedInputException.class, () -> ShamirKeySplit.combine(List.of(shares.get(0), shares.get(1), other.get(2))));
    assertThrows(MalformedInputException.class, () -> ShamirKeySplit.split(key, 1, 3));
    assertThrows(MalformedInputException.class, () -> ShamirKeySplit.split(key, 4, 3));
    assertThrows(MalformedInputException.class, () -> ShamirKeySplit.split(key, 2, 256));
  }

  @Test
  void aCorruptedShareRestoresAKeyThatTheShardRejects() {
    DataKey key = DataKey.generate();
    byte[] sealed = new ShardCipher(key).seal(SHARD, new byte[100]);
    List<KeyShare> shares = ShamirKeySplit.split(key, 2, 3);
    String text = shares.get(1).encode();
    char last = text.charAt(text.length() - 1);
    KeyShare corrupted = KeyShare.parse(text.substring(0, text.length() - 1) + (last == '0' ? '1' : '0'));
    DataKey wrong = ShamirKeySplit.combine(List.of(shares.get(0), corrupted));
    assertThrows(TamperedShardException.class, () -> new ShardCipher(wrong).open(SHARD, sealed));
  }

  @Test
  void aShareNeverPrintsItsValue() {
    KeyShare s = ShamirKeySplit.split(DataKey.generate(), 2, 2).get(0);
    String value = s.encode().substring(s.encode().lastIndexOf(':') + 1);
    assertFalse(s.toString().contains(value));
    assertFalse(s.toString().contains(value.substring(0, 8)));
  }
}
