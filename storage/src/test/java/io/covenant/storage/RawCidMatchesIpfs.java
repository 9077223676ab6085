package io.covenant.storage;

import static org.junit.jupiter.api.Assertions.*;

import io.covenant.core.cid.Cid;
import io.covenant.storage.blockstore.LocalBlockstore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw-block CIDs equal what {@code ipfs block put} / {@code ipfs add --cid-version=1 --raw-leaves} print. Each value
 * is recomputed here from SHA-256 and the CID layout, independently of core's {@link Cid}.
 *
 * <p>Note: {@code bafkreifzjut3...n5e}, often quoted as the CID of "hello world\n", is the CID of "hello world"
 * WITHOUT the newline (its digest is b94d27b9..., SHA-256 of the 11 bytes); "hello world\n" (what
 * {@code echo 'hello world' | ipfs add} stores) is {@code bafkreifjjcie6l...ei4} (digest a948904f...).
 */
class RawCidMatchesIpfs {
  static final String HELLO_WORLD_NEWLINE = "bafkreifjjcie6lypi6ny7amxnfftagclbuxndqonfipmb64f2km2devei4";
  static final String HELLO_WORLD = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
  @TempDir Path dir;

  @Test
  void helloWorldAsARawBlockHasTheCidIpfsGivesIt() throws Exception {
    assertCid(HELLO_WORLD_NEWLINE, "hello world\n", "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447");
    assertCid(HELLO_WORLD, "hello world", "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  }

  private void assertCid(String expected, String text, String sha256Hex) throws Exception {
    byte[] block = text.getBytes(StandardCharsets.US_ASCII);
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(block);
    assertEquals(sha256Hex, HexFormat.of().formatHex(digest), "SHA-256 of the text (as sha256sum prints it)");

    // CIDv1 = varint(1) varint(0x55 raw) varint(0x12 sha2-256) varint(32) digest, then multibase 'b' = RFC 4648
    // base32, lower case, unpadded.
    ByteArrayOutputStream bin = new ByteArrayOutputStream();
    bin.write(new byte[] {0x01, 0x55, 0x12, 0x20});
    bin.write(digest);
    assertEquals(expected, "b" + base32(bin.toByteArray()));

    assertEquals(expected, new LocalBlockstore(dir).put(Cid.RAW, block).toString());
    assertEquals(expected, Cid.raw(block).toString());
    assertEquals(Cid.parse(expected), Cid.raw(block));
  }

  @Test
  void theTestsOwnBase32MatchesRfc4648Vectors() {
    // RFC 4648 section 10, lower-cased and without padding.
    String[][] vectors = {{"", ""}, {"f", "my"}, {"fo", "mzxq"}, {"foo", "mzxw6"}, {"foob", "mzxw6yq"}, {"fooba", "mzxw6ytb"}, {"foobar", "mzxw6ytboi"}};
    for (String[] v : vectors) assertEquals(v[1], base32(v[0].getBytes(StandardCharsets.US_ASCII)), v[0]);
  }

  private static String base32(byte[] data) {
    String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
    StringBuilder out = new StringBuilder();
    int totalBits = data.length * 8;
    for (int bit = 0; bit < totalBits; bit += 5) {
      int v = 0;
      for (int j = 0; j < 5; j++) {
        int b = bit + j;
        int set = b < totalBits ? (data[b / 8] >> (7 - b % 8)) & 1 : 0;
        v = (v << 1) | set;
      }
      out.append(alphabet.charAt(v));
    }
    return out.toString();
  }
}
