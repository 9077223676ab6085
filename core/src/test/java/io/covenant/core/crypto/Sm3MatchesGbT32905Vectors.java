package io.covenant.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** SM3 as the national suite hashes, against the two examples of GB/T 32905-2016 Appendix A (A.1 and A.2). */
class Sm3MatchesGbT32905Vectors {

  /** GB/T 32905-2016 Appendix A.1: the 24-bit message "abc". */
  @Test
  void abc() {
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        CryptoSuite.SM.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex());
  }

  /** GB/T 32905-2016 Appendix A.2: the 512-bit message "abcd" repeated 16 times. */
  @Test
  void fiveHundredTwelveBits() {
    assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
        CryptoSuite.SM.hash("abcd".repeat(16).getBytes(StandardCharsets.US_ASCII)).hex());
  }

  /** The streaming digest (what Merkle trees and CIDs feed) gives the same answer fed byte by byte. */
  @Test
  void streamingDigestAgrees() {
    var md = CryptoSuite.SM.newHash();
    for (byte b : "abc".getBytes(StandardCharsets.US_ASCII)) md.update(b);
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", HexFormat.of().formatHex(md.digest()));
  }

  /** The international suite's hash stays SHA-256 (FIPS 180-4 example "abc"). */
  @Test
  void internationalSuiteIsSha256() {
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        CryptoSuite.INTL.hash("abc".getBytes(StandardCharsets.US_ASCII)).hex());
  }
}
