package io.covenant.storage.ipfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.covenant.core.cid.Cid;
import io.covenant.core.codec.Json;
import io.covenant.storage.blockstore.IpfsBlockstore;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("ipfs")
@ExtendWith(TestIpfsNode.class)
class NodeCidOfARawBlockEqualsOurs {
  @Test
  void theNodeNamesRawBlocksExactlyAsCovenantDoes(TestIpfsNode.Running node) throws Exception {
    byte[] hello = "hello world".getBytes(StandardCharsets.US_ASCII);
    byte[] random = new byte[700_000];
    new SplittableRandom(3).nextBytes(random);
    for (byte[] block : new byte[][] {hello, random}) {
      // Asked directly, not through the client under test, exactly as the issue prescribes for Kubo.
      String answer = NodeRpc.post(node.api(), "block/put?format=raw&mhtype=sha2-256&cid-base=base32", block);
      assertEquals(Cid.raw(block).toString(), Json.parseObject(answer).string("Key"));
    }
    assertEquals("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e", node.store().put(Cid.RAW, hello).toString());
  }

  @Test
  void aDagJsonBlockIsHeldUnderTheRawCidWithTheSameMultihash(IpfsBlockstore ipfs) {
    byte[] doc = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    Cid ours = ipfs.put(Cid.DAG_JSON, doc);
    assertEquals(Cid.of(Cid.DAG_JSON, doc), ours);
    assertEquals(Cid.raw(doc), IpfsBlockstore.nodeCid(ours));
    assertEquals(new String(doc, StandardCharsets.UTF_8), new String(ipfs.get(ours), StandardCharsets.UTF_8));
    assertEquals(new String(doc, StandardCharsets.UTF_8), new String(ipfs.get(Cid.raw(doc)), StandardCharsets.UTF_8));
  }
}
