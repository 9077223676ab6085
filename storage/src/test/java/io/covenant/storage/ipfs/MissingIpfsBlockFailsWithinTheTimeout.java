package io.covenant.storage.ipfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.storage.blockstore.IpfsBlockstore;
import io.covenant.storage.blockstore.MissingBlockException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("ipfs")
@ExtendWith(TestIpfsNode.class)
class MissingIpfsBlockFailsWithinTheTimeout {
  @Test
  void aBlockNobodyHasIsReportedByCidInsteadOfHanging(TestIpfsNode.Running node) {
    IpfsBlockstore ipfs = IpfsBlockstore.at(node.api()).withTimeout(Duration.ofSeconds(2));
    Cid absent = Cid.raw("no node anywhere holds this block 9f1c".getBytes(StandardCharsets.UTF_8));
    // Generous bound: the point is that the call ends (block/get would otherwise wait for peers forever).
    MissingBlockException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(MissingBlockException.class, () -> ipfs.get(absent)));
    assertTrue(e.getMessage().contains(absent.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(node.api().toString()), e.getMessage());
    assertFalse(assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ipfs.has(absent)));
  }
}
