package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.coordinator.deployment.BlockstoreSpec;
import io.covenant.core.error.MalformedInputException;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.blockstore.LocalBlockstore;
import io.covenant.storage.blockstore.ReplicatedBlockstore;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockstoreSpecIsChecked {
  @TempDir Path dir;

  @Test
  void eachFormOpensItsStore() {
    assertInstanceOf(LocalBlockstore.class, BlockstoreSpec.LOCAL.open(dir));
    assertInstanceOf(IpfsBlockstore.class, new BlockstoreSpec("ipfs=http://127.0.0.1:5001").open(dir));
    assertInstanceOf(ReplicatedBlockstore.class, new BlockstoreSpec("replicated=local,ipfs=http://127.0.0.1:5001").open(dir));
  }

  @Test
  void badSpecsSayWhatToWrite() {
    for (String bad : new String[] {"s3=bucket", "ipfs=ftp://x", "replicated=local", "replicated=local,replicated=local,local", " "}) {
      MalformedInputException e = assertThrows(MalformedInputException.class, () -> new BlockstoreSpec(bad));
      assertTrue(e.getMessage().contains("local") || e.getMessage().contains("ipfs="), e.getMessage());
    }
  }

  @Test
  void anUnreachableIpfsNodeIsNamedWhenUsed() {
    var store = new BlockstoreSpec("ipfs=http://127.0.0.1:9").open(dir);
    var e = assertThrows(io.covenant.core.error.CovenantException.class, () -> store.put(io.covenant.core.cid.Cid.RAW, new byte[] {1}));
    assertTrue(e.getMessage().contains("127.0.0.1:9"), e.getMessage());
  }
}
