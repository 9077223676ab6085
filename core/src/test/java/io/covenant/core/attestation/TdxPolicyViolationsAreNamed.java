package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HexFormat;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Correctly signed quotes whose contents the policy refuses: each refusal names the field. Genuine hardware signs all
 * of these (a debug TD, an old TDX module, a TD running another image, a quote made for another request), so only
 * the policy checks stand between them and a key release.
 */
class TdxPolicyViolationsAreNamed {
  private final TdxTestPlatform platform = new TdxTestPlatform();
  private final byte[] allowed = SnpTestPlatform.filled(48, 0x33);

  private String refusal(Consumer<TdxTestPlatform.Quote> change, byte[] expectedReportData) {
    var q = platform.quote();
    change.accept(q);
    return assertThrows(TdxAttestationException.class, () -> platform.verifier(allowed).verify(q.signed(), expectedReportData)).getMessage();
  }

  private String refusal(Consumer<TdxTestPlatform.Quote> change) {
    return refusal(change, SnpTestPlatform.filled(64, 0x11));
  }

  @Test
  void debugTdIsRefused() {
    String m = refusal(q -> q.tdAttributes |= TdxQuote.TD_ATTRIBUTE_DEBUG);
    assertTrue(m.contains("TD_ATTRIBUTES 0x10000001 has DEBUG set"), m);
  }

  @Test
  void reservedTudBitsAreRefused() {
    String m = refusal(q -> q.tdAttributes |= 0x4);
    assertTrue(m.contains("sets reserved TUD bits"), m);
  }

  @Test
  void nonProductionSeamModuleIsRefused() {
    String m = refusal(q -> q.seamAttributes = 1);
    assertTrue(m.contains("SEAM_ATTRIBUTES 0x1 is not zero"), m);
  }

  @Test
  void unlistedMrtdIsRefused() {
    String m = refusal(q -> q.mrTd = SnpTestPlatform.filled(48, 0x34));
    assertTrue(m.contains("MRTD 3434343434343434… is not on the allow-list"), m);
  }

  @Test
  void wrongRtmrIsRefused() {
    var q = platform.quote();
    var policy = platform.policy(allowed, Map.of(2, HexFormat.of().formatHex(SnpTestPlatform.filled(48, 0x99))));
    String m = assertThrows(TdxAttestationException.class,
        () -> new TdxVerifier(policy, SnpTestPlatform.CLOCK).verify(q.signed(), q.reportData)).getMessage();
    assertTrue(m.contains("RTMR2 4242424242424242… differs from the pinned 9999999999999999…"), m);
  }

  @Test
  void quoteBoundToAnotherRequestIsRefused() {
    String m = refusal(q -> { }, SnpTestPlatform.filled(64, 0x12));
    assertTrue(m.contains("REPORT_DATA differs from the expected binding"), m);
  }

  @Test
  void staleQuoteFromAnEarlierRequestIsRefused() {
    // The TD answered an earlier request (an older nonce); replaying that quote for this request fails the binding.
    String m = refusal(q -> q.reportData = SnpTestPlatform.filled(64, 0x10), SnpTestPlatform.filled(64, 0x11));
    assertTrue(m.contains("REPORT_DATA differs from the expected binding"), m);
  }

  @Test
  void outOfDateTdxModuleIsRefused() {
    String m = refusal(q -> q.teeTcbSvn = HexFormat.of().parseHex("00000400000000000000000000000000"));
    assertTrue(m.contains("TEE_TCB_SVN[0] 0 is below the minimum 1"), m);
  }

  @Test
  void outOfDateQuotingEnclaveIsRefused() {
    String m = refusal(q -> q.qeIsvSvn = 3);
    assertTrue(m.contains("QE ISVSVN 3 is below the minimum 4"), m);
  }

  @Test
  void debugQuotingEnclaveIsRefused() {
    String m = refusal(q -> q.qeAttributes[0] |= 0x02);
    assertTrue(m.contains("quoting enclave's ATTRIBUTES has DEBUG set"), m);
  }

  @Test
  void qeReportFromAnotherEnclaveIsRefused() {
    String m = refusal(q -> q.qeMrSigner = SnpTestPlatform.filled(32, 0x77));
    assertTrue(m.contains("QE MRSIGNER 7777777777777777… is not the TD quoting enclave's signer"), m);
  }

  @Test
  void qeWithAnotherProductIdIsRefused() {
    String m = refusal(q -> q.qeIsvProdId = 1);
    assertTrue(m.contains("QE ISVPRODID 1 is not 2"), m);
  }

  @Test
  void quoteFromAnotherVendorsQuotingEnclaveIsRefused() {
    String m = refusal(q -> q.qeVendorId = new byte[16]);
    assertTrue(m.contains("QE vendor ID 00000000000000000000000000000000 is not Intel's"), m);
  }
}
