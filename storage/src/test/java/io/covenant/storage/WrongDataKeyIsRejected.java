package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.crypto.DataKey;
import io.covenant.storage.cipher.TamperedShardException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WrongDataKeyIsRejected {
  @TempDir Path dir;

  @Test
  void anotherKeyCannotOpenTheFirstShard() {
    Published p = Published.sample(dir, "insurer-x/policies@2", 3_000, 1_000, 0);
    TamperedShardException e = assertThrows(TamperedShardException.class, () -> p.readAll(p.manifest(), DataKey.generate()));
    assertEquals(0, e.shard().index());
    assertTrue(e.getMessage().contains("shard 0 of dataset insurer-x/policies@2"), e.getMessage());
    assertTrue(e.getMessage().contains("key is wrong"), e.getMessage());
  }
}
