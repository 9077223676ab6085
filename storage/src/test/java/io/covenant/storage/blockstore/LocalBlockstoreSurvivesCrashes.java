package io.covenant.storage.blockstore;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlockstoreSurvivesCrashes {
  @TempDir Path dir;

  private static byte[] block(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  private List<Path> temporaryFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve(".tmp"))) {
      return s.toList();
    }
  }

  @Test
  void aWriteInterruptedBeforeItsRenameLeavesNoBlockAndIsCleanedOnOpen() throws IOException {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] whole = block(300_000, 1);
    Cid cid = Cid.raw(whole);
    // What a crash mid-put leaves: a partial temporary file, nothing under the block's name.
    Path abandoned = dir.resolve(".tmp").resolve(cid + "123.tmp");
    Files.write(abandoned, Arrays.copyOf(whole, 100_000));
    Files.setLastModifiedTime(abandoned, FileTime.from(Instant.now().minus(LocalBlockstore.ABANDONED_AFTER).minus(Duration.ofMinutes(1))));
    // A put in flight in another instance on the same directory: too young to be abandoned.
    Path inFlight = dir.resolve(".tmp").resolve(cid + "456.tmp");
    Files.write(inFlight, Arrays.copyOf(whole, 1_000));
    assertFalse(store.has(cid));
    assertThrows(MissingBlockException.class, () -> store.get(cid));

    LocalBlockstore reopened = new LocalBlockstore(dir);
    assertEquals(List.of(inFlight), temporaryFiles(), "abandoned temporary files are removed when the store opens, young ones kept");
    assertFalse(reopened.has(cid));
    assertEquals(cid, reopened.put(Cid.RAW, whole));
    assertArrayEquals(whole, reopened.get(cid));
  }

  @Test
  void aPutThatFailsAtTheRenameLeavesNothingBehind() throws IOException {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] b = block(10_000, 2);
    Cid cid = Cid.raw(b);
    // Occupy the block's final name with a non-empty directory, so the atomic rename must fail.
    Path target = store.pathOf(cid);
    Files.createDirectories(target.resolve("occupied"));

    CovenantException e = assertThrows(CovenantException.class, () -> store.put(Cid.RAW, b));
    assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    assertTrue(temporaryFiles().isEmpty(), "the temporary file of a failed put is removed");
    assertFalse(store.has(cid));
  }

  @Test
  void aBlockDamagedOnDiskIsReportedByCidAndRepairedByPuttingItAgain() throws IOException {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] b = block(50_000, 3);
    Cid cid = store.put(Cid.RAW, b);
    Path file = store.pathOf(cid);
    Files.write(file, Arrays.copyOf(b, 25_000)); // truncated, as by a failing disk

    IntegrityException e = assertThrows(IntegrityException.class, () -> store.get(cid));
    assertTrue(e.getMessage().contains(cid.toString()), e.getMessage());
    assertEquals(cid, store.put(Cid.RAW, b));
    assertArrayEquals(b, store.get(cid));
  }

  @Test
  void putIsIdempotentAndDurableAcrossReopening() throws IOException {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] b = block(4_096, 4);
    Cid first = store.put(Cid.RAW, b);
    Cid second = store.put(Cid.RAW, b);
    assertEquals(first, second);
    Cid asManifest = store.put(Cid.DAG_JSON, b);
    assertNotEquals(first, asManifest, "the codec is part of the address");
    try (Stream<Path> s = Files.walk(dir)) {
      assertEquals(2, s.filter(Files::isRegularFile).count());
    }
    LocalBlockstore reopened = new LocalBlockstore(dir);
    assertArrayEquals(b, reopened.get(first));
    assertArrayEquals(b, reopened.get(asManifest));
    assertTrue(first.toString().startsWith("bafkrei"));
  }

  @Test
  void concurrentPutsOfTheSameBlockLeaveOneIntactCopy() throws Exception {
    LocalBlockstore store = new LocalBlockstore(dir);
    byte[] b = block(200_000, 5);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Cid>> puts = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        puts.add(pool.submit(() -> {
          byte[] got = store.has(Cid.raw(b)) ? store.get(Cid.raw(b)) : b; // readers never see a partial block
          assertArrayEquals(b, got);
          return store.put(Cid.RAW, b);
        }));
      }
      for (Future<Cid> f : puts) assertEquals(Cid.raw(b), f.get());
    } finally {
      pool.shutdown();
    }
    assertArrayEquals(b, store.get(Cid.raw(b)));
    assertTrue(temporaryFiles().isEmpty());
  }
}
