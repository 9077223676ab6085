package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Malformed quotes are refused while parsing, each with the part that is wrong; no field is read from them. */
class TdxQuoteLayoutIsStrict {
  private final TdxTestPlatform platform = new TdxTestPlatform();

  private static String refusal(byte[] raw) {
    return assertThrows(TdxAttestationException.class, () -> new TdxQuote(raw)).getMessage();
  }

  @Test
  void unknownVersionIsRefused() {
    var q = platform.quote();
    q.version = 3;
    assertTrue(refusal(q.signed()).contains("version 3 is not supported"));
  }

  @Test
  void sgxQuoteIsRefused() {
    var q = platform.quote();
    q.teeType = 0;
    assertTrue(refusal(q.signed()).contains("TEE type 0x0 is not TDX (0x81)"));
  }

  @Test
  void v5WithAnSgxBodyIsRefused() {
    var q = platform.quote();
    q.version = 5;
    q.bodyType = 1;
    assertTrue(refusal(q.signed()).contains("v5 body type 1 is not a TD report"));
  }

  @Test
  void v5BodySizeThatDisagreesWithItsTypeIsRefused() {
    var q = platform.quote();
    q.version = 5;
    byte[] raw = q.signed();
    raw[TdxQuote.HEADER_BYTES + 2] = 0x49; // 584 = 0x248 -> 0x249
    assertTrue(refusal(raw).contains("v5 body size 585 does not match body type 2"), refusal(raw));
  }

  @Test
  void truncatedQuoteIsRefused() {
    byte[] raw = platform.quote().signed();
    assertTrue(refusal(Arrays.copyOf(raw, raw.length - 1)).contains("TDX quote is truncated"));
    assertTrue(refusal(Arrays.copyOf(raw, 600)).contains("TDX quote is truncated"));
  }

  @Test
  void trailingGarbageIsRefusedButZeroPaddingIsNot() {
    byte[] raw = platform.quote().signed();
    assertDoesNotThrow(() -> new TdxQuote(Arrays.copyOf(raw, raw.length + 16)));
    byte[] garbage = Arrays.copyOf(raw, raw.length + 16);
    garbage[raw.length + 3] = 1;
    assertTrue(refusal(garbage).contains("16 trailing bytes after the signature data are not zero padding"));
  }

  @Test
  void quoteWithoutQeReportCertificationDataIsRefused() {
    byte[] raw = platform.quote().signed();
    raw[TdxQuote.HEADER_BYTES + TdxQuote.BODY_TDX10_BYTES + 4 + 128] = 5;
    assertTrue(refusal(raw).contains("certification data type 5 is not 6"));
  }
}
