package io.covenant.storage.blockstore;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;
import io.covenant.storage.MemoryBlockstore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code get(cid, into)} returns exactly what {@code get(cid)} returns, and refuses what {@code get(cid)} refuses. */
class BufferedReadsAreVerifiedLikeGets {
  @TempDir Path dir;

  private static byte[] block(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void aReusedBufferReceivesEachBlockWholeAndVerified() {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] big = block(300_000, 1);
    byte[] small = block(1_000, 2);
    Cid bigCid = store.put(Cid.RAW, big);
    Cid smallCid = store.put(Cid.RAW, small);
    byte[] buffer = new byte[300_000];
    assertEquals(big.length, store.get(bigCid, buffer));
    assertArrayEquals(big, buffer);
    int n = store.get(smallCid, buffer);
    assertEquals(small.length, n);
    assertArrayEquals(small, Arrays.copyOf(buffer, n));
    assertArrayEquals(store.get(smallCid), Arrays.copyOf(buffer, n));
  }

  @Test
  void aBlockCorruptedOnDiskIsRefused() throws Exception {
    LocalBlockstore store = new LocalBlockstore(dir);
    Cid cid = store.put(Cid.RAW, block(5_000, 3));
    Path file = store.pathOf(cid);
    byte[] bytes = Files.readAllBytes(file);
    bytes[4_000] ^= 1;
    Files.write(file, bytes);
    IntegrityException e = assertThrows(IntegrityException.class, () -> store.get(cid, new byte[5_000]));
    assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    assertThrows(IntegrityException.class, () -> store.get(cid));
    // Only a relay, whose reader checks the CID itself, is handed the bytes as stored.
    assertArrayEquals(bytes, store.getToRelay(cid));
  }

  @Test
  void aBlockLargerThanTheBufferIsRefusedNamingItsCid() {
    LocalBlockstore local = new LocalBlockstore(dir);
    MemoryBlockstore memory = new MemoryBlockstore("memory", Integer.MAX_VALUE);
    byte[] b = block(2_000, 4);
    for (Blockstore store : new Blockstore[] {local, memory}) {
      Cid cid = store.put(Cid.RAW, b);
      IntegrityException e = assertThrows(IntegrityException.class, () -> store.get(cid, new byte[1_999]));
      assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    }
  }

  @Test
  void aMissingBlockIsReportedAsMissing() {
    LocalBlockstore store = new LocalBlockstore(dir);
    Cid absent = Cid.raw(block(10, 5));
    assertThrows(MissingBlockException.class, () -> store.get(absent, new byte[10]));
    assertThrows(MissingBlockException.class, () -> store.getToRelay(absent));
  }
}
