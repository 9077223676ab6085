package io.covenant.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.error.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Under the national suite a block's CID is a CIDv1 whose multihash is sm3-256: code 0x534d as registered in the
 * multiformats table (multiformats/multicodec table.csv, "sm3-256, multihash, 0x534d, draft"), varint bytes cd a6 01,
 * digest length 32. It parses back, knows its suite and verifies the block; another block does not match.
 */
class Sm3CidsUseTheRegisteredMultihash {
  private final byte[] block = "sealed shard".getBytes(StandardCharsets.US_ASCII);

  @Test
  void binaryFormIsCidV1RawSm3() {
    Cid cid = Cid.of(CryptoSuite.SM, Cid.RAW, block);
    byte[] b = cid.toBytes();
    // version 1, codec raw (0x55), multihash sm3-256 (0x534d as the varint cd a6 01), length 32, then SM3(block).
    assertArrayEquals(new byte[] {0x01, 0x55, (byte) 0xcd, (byte) 0xa6, 0x01, 0x20}, Arrays.copyOf(b, 6));
    assertArrayEquals(CryptoSuite.SM.hash(block).bytes(), Arrays.copyOfRange(b, 6, b.length));
    assertEquals(Cid.SM3_256, cid.multihashCode());
  }

  @Test
  void parsesBackAndVerifies() {
    Cid cid = Cid.of(CryptoSuite.SM, Cid.RAW, block);
    Cid parsed = Cid.parse(cid.toString());
    assertEquals(cid, parsed);
    assertEquals(CryptoSuite.SM, parsed.suite());
    assertTrue(parsed.matches(block));
    assertFalse(parsed.matches("another block".getBytes(StandardCharsets.US_ASCII)));
    assertThrows(IntegrityException.class, () -> parsed.verify("another block".getBytes(StandardCharsets.US_ASCII)));
    assertNotEquals(Cid.of(Cid.RAW, block), cid, "the same block has another address under each suite");
    assertEquals(Cid.of(Cid.RAW, block), Cid.of(CryptoSuite.INTL, Cid.RAW, block));
  }
}
