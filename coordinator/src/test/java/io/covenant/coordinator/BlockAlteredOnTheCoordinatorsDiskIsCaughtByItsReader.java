package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.deployment.LocalDeployment;
import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;
import io.covenant.storage.blockstore.HttpBlockstore;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator relays blocks without hashing them itself (the reader checks every block against the CID it asked
 * for, and hashing on both ends doubled the work): a block altered on the coordinator's disk still never reaches a
 * reader as data. {@link HttpBlockstore} refuses it, naming the block, on whole and on buffered reads.
 */
class BlockAlteredOnTheCoordinatorsDiskIsCaughtByItsReader {
  @TempDir Path dir;

  @Test
  void theReaderRefusesWhatTheCoordinatorRelays() throws Exception {
    try (LocalDeployment d = LocalDeployment.open(dir)) {
      // a fresh data directory, as the other route tests start from
    }
    byte[] shard = new byte[40_000];
    new Random(7).nextBytes(shard);
    try (ApiServer api = new ApiServer(dir)) {
      HttpBlockstore store = new HttpBlockstore(HttpClient.newHttpClient(), URI.create(api.base));
      Cid cid = store.put(Cid.RAW, shard);
      assertArrayEquals(shard, store.get(cid));

      Path file;
      try (Stream<Path> files = Files.walk(dir)) {
        file = files.filter(p -> p.getFileName().toString().equals(cid.toString())).findFirst().orElseThrow();
      }
      byte[] altered = Files.readAllBytes(file);
      altered[altered.length / 3] ^= 0x10;
      Files.write(file, altered);

      IntegrityException whole = assertThrows(IntegrityException.class, () -> store.get(cid));
      assertTrue(whole.getMessage().contains(cid.toString()) && whole.getMessage().contains("do not match its CID"), whole.getMessage());
      IntegrityException buffered = assertThrows(IntegrityException.class, () -> store.get(cid, new byte[shard.length]));
      assertTrue(buffered.getMessage().contains(cid.toString()), buffered.getMessage());
    }
  }
}
