package io.covenant.storage.blockstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.storage.MemoryBlockstore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicatedStoreNeedsItsWriteQuorumAndRepairsOnRead {
  private static final byte[] BLOCK = "sealed shard bytes".getBytes(StandardCharsets.UTF_8);

  @Test
  void aPutSucceedsWithTheQuorumAndFailsBelowItNamingTheFailedStores() {
    MemoryBlockstore a = MemoryBlockstore.healthy("a");
    MemoryBlockstore b = new MemoryBlockstore("b", 0);
    MemoryBlockstore c = MemoryBlockstore.healthy("c");
    Cid cid = new ReplicatedBlockstore(List.of(a, b, c), 2).put(Cid.RAW, BLOCK);
    assertTrue(a.has(cid) && c.has(cid));
    CovenantException e = assertThrows(CovenantException.class, () -> new ReplicatedBlockstore(List.of(a, b, c), 3).put(Cid.RAW, BLOCK));
    assertTrue(e.getMessage().contains("2 of 3") && e.getMessage().contains("b: ") && !e.getMessage().contains("a: "), e.getMessage());
  }

  @Test
  void aReadRepairsMissingAndCorruptCopiesInFrontOfTheGoodOne() {
    MemoryBlockstore a = MemoryBlockstore.healthy("a");
    MemoryBlockstore b = MemoryBlockstore.healthy("b");
    MemoryBlockstore c = MemoryBlockstore.healthy("c");
    ReplicatedBlockstore all = new ReplicatedBlockstore(List.of(a, b, c), 3);
    Cid cid = all.put(Cid.RAW, BLOCK);
    a.remove(cid);
    b.corrupt(cid);
    assertArrayEquals(BLOCK, all.get(cid));
    assertArrayEquals(BLOCK, a.get(cid));
    assertArrayEquals(BLOCK, b.get(cid));
  }

  @Test
  void noGoodCopyAnywhereIsAnIntegrityErrorNamingTheCid() {
    MemoryBlockstore a = MemoryBlockstore.healthy("a");
    MemoryBlockstore b = MemoryBlockstore.healthy("b");
    ReplicatedBlockstore all = new ReplicatedBlockstore(List.of(a, b), 1);
    Cid cid = all.put(Cid.RAW, BLOCK);
    a.corrupt(cid);
    b.remove(cid);
    IntegrityException e = assertThrows(IntegrityException.class, () -> all.get(cid));
    assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    a.remove(cid);
    assertThrows(MissingBlockException.class, () -> all.get(cid));
    assertFalse(all.has(cid));
    assertEquals(cid, all.put(Cid.RAW, BLOCK));
  }
}
