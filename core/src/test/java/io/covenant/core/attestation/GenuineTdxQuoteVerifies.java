package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quotes the test platform builds in each layout verify, and the verifier returns their fields. */
class GenuineTdxQuoteVerifies {
  private final TdxTestPlatform platform = new TdxTestPlatform();

  @Test
  void version4Verifies() {
    var q = platform.quote();
    TdxQuote quote = platform.verifier(q.mrTd).verify(q.signed(), q.reportData);
    assertEquals(4, quote.version());
    assertArrayEquals(q.mrTd, quote.mrTd());
    assertArrayEquals(q.rtmrs[3], quote.rtmr(3));
    assertArrayEquals(q.reportData, quote.reportData());
  }

  @Test
  void version5WithATdx10BodyVerifies() {
    var q = platform.quote();
    q.version = 5;
    assertEquals(TdxQuote.BODY_TYPE_TDX10, platform.verifier(q.mrTd).verify(q.signed(), q.reportData).bodyType());
  }

  @Test
  void version5WithATdx15BodyVerifies() {
    var q = platform.quote();
    q.version = 5;
    q.bodyType = TdxQuote.BODY_TYPE_TDX15;
    assertEquals(TdxQuote.BODY_TYPE_TDX15, platform.verifier(q.mrTd).verify(q.signed(), q.reportData).bodyType());
  }

  @Test
  void aChainWithoutTheRootCertificateVerifiesAgainstThePinnedRoot() {
    var q = platform.quote();
    q.chain = new java.security.cert.X509Certificate[] {platform.pck, platform.pckCa};
    assertDoesNotThrow(() -> platform.verifier(q.mrTd).verify(q.signed(), q.reportData));
  }

  @Test
  void pinnedRtmrsThatMatchAreAccepted() {
    var q = platform.quote();
    var policy = platform.policy(q.mrTd, Map.of(0, java.util.HexFormat.of().formatHex(q.rtmrs[0])));
    assertDoesNotThrow(() -> new TdxVerifier(policy, SnpTestPlatform.CLOCK).verify(q.signed(), q.reportData));
  }
}
