package io.covenant.core;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CidMatchesIpfs {
  private static final byte[] HELLO = "hello world\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void rawBlockOfHelloWorldHasTheCidIpfsGivesIt() {
    // `echo "hello world" | ipfs block put` (raw codec, sha2-256, CIDv1) prints this CID.
    assertEquals("bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4", Cid.raw(HELLO).toString());
    // ... and without the newline, the well-known bafkreifzjut3... of "hello world".
    assertEquals("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e",
        Cid.raw("hello world".getBytes(StandardCharsets.UTF_8)).toString());
  }

  @Test
  void cidIsMultibasePrefixPlusBase32OfVersionCodecAndMultihash() {
    // Built independently from the spec: 0x01 (v1), 0x55 (raw), 0x12 (sha2-256), 0x20 (32 bytes), digest.
    byte[] digest = io.covenant.core.crypto.Digest.sha256(HELLO).bytes();
    byte[] bin = new byte[36];
    bin[0] = 0x01;
    bin[1] = 0x55;
    bin[2] = 0x12;
    bin[3] = 0x20;
    System.arraycopy(digest, 0, bin, 4, 32);
    // BouncyCastle's RFC 4648 encoder, independent of ours: upper case with padding, which multibase 'b' drops.
    String b32 = org.bouncycastle.util.encoders.Base32.toBase32String(bin).toLowerCase(java.util.Locale.ROOT).replace("=", "");
    assertEquals("b" + b32, Cid.raw(HELLO).toString());
  }

  @Test
  void binaryLayoutIsVersionCodecMultihash() {
    byte[] b = Cid.raw(HELLO).toBytes();
    assertEquals(36, b.length);
    assertEquals(0x01, b[0]);
    assertEquals(0x55, b[1]);
    assertEquals(0x12, b[2]);
    assertEquals(0x20, b[3]);
  }

  @Test
  void dagJsonCodecNeedsATwoByteVarint() {
    Cid c = Cid.of(Cid.DAG_JSON, "{}".getBytes(StandardCharsets.UTF_8));
    byte[] b = c.toBytes();
    assertEquals((byte) 0xa9, b[1]);
    assertEquals(0x02, b[2]);
    assertTrue(c.toString().startsWith("baguqee"), c.toString());
    assertEquals(c, Cid.parse(c.toString()));
  }

  @Test
  void parseRoundTripsAndAcceptsUpperCaseMultibase() {
    Cid c = Cid.raw(HELLO);
    assertEquals(c, Cid.parse(c.toString()));
    assertEquals(c, Cid.parse("B" + c.toString().substring(1).toUpperCase()));
  }

  @Test
  void verifyRejectsOtherBytesAndNamesTheCid() {
    Cid c = Cid.raw(HELLO);
    assertArrayEquals(HELLO, c.verify(HELLO));
    byte[] changed = HELLO.clone();
    changed[0] ^= 1;
    IntegrityException e = assertThrows(IntegrityException.class, () -> c.verify(changed));
    assertTrue(e.getMessage().contains(c.toString()));
  }

  @Test
  void malformedCidsAreRefusedWithAReason() {
    assertThrows(MalformedInputException.class, () -> Cid.parse("QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"));
    assertThrows(MalformedInputException.class, () -> Cid.parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA"));
    assertThrows(MalformedInputException.class, () -> Cid.parse("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5"));
    assertThrows(MalformedInputException.class, () -> Cid.parse("b"));
  }
}
