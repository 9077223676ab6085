package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Two quotes produced by real Intel TDX platforms (test vectors from google/go-tdx-guest, see
 * {@code resources/intel/README.md}) verify end to end against the pinned Intel SGX Root CA: PCK chain, QE report
 * signature and binding, QE identity, quote signature and TD checks. This proves the layout and the signature
 * conventions match Intel's, not only the test platform's.
 */
class RealIntelTdxQuotesVerify {
  /** TEE_TCB_SVN and QE ISVSVN minimums below what both samples report, so the test exercises everything else. */
  private static final String MINIMUM_TEE_TCB_SVN = "03000400000000000000000000000000";

  static byte[] resource(String name) throws Exception {
    try (var in = RealIntelTdxQuotesVerify.class.getResourceAsStream("/intel/" + name)) {
      return in.readAllBytes();
    }
  }

  /** The v4 sample without the text go-tdx-guest appended after its signature data. */
  static byte[] v4() throws Exception {
    byte[] q = resource("tdx_prod_quote_SPR_E4.dat");
    return Arrays.copyOf(q, 4935);
  }

  private static TdxVerifier verifierFor(byte[] quote) {
    TdxQuote parsed = new TdxQuote(quote);
    return new TdxVerifier(TdxPolicy.intel(Set.of(parsed.mrTdHex()), Map.of(), MINIMUM_TEE_TCB_SVN, 4), SnpTestPlatform.CLOCK);
  }

  @Test
  void theBuiltInRootMatchesItsFingerprintAndSignsItself() {
    var root = IntelRootCa.sgxRootCa();
    assertTrue(root.getSubjectX500Principal().getName().contains("CN=Intel SGX Root CA"));
    assertDoesNotThrow(() -> root.verify(root.getPublicKey()));
  }

  @Test
  void aProductionV4QuoteVerifies() throws Exception {
    byte[] q = v4();
    TdxQuote quote = verifierFor(q).verify(q, new TdxQuote(q).reportData());
    assertEquals(4, quote.version());
    assertEquals("6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb", quote.mrTdHex());
  }

  @Test
  void aV5QuoteWithATdx15BodyVerifies() throws Exception {
    byte[] q = resource("quote_v5_sample.dat");
    TdxQuote quote = verifierFor(q).verify(q, new TdxQuote(q).reportData());
    assertEquals(5, quote.version());
    assertEquals(TdxQuote.BODY_TYPE_TDX15, quote.bodyType());
  }

  @Test
  void textAppendedAfterTheSignatureDataIsRefused() throws Exception {
    var e = assertThrows(TdxAttestationException.class, () -> new TdxQuote(resource("tdx_prod_quote_SPR_E4.dat")));
    assertTrue(e.getMessage().contains("trailing bytes after the signature data are not zero padding"), e.getMessage());
  }

  @Test
  void aRealQuoteBoundToOtherReportDataIsRefused() throws Exception {
    byte[] q = v4();
    var e = assertThrows(TdxAttestationException.class, () -> verifierFor(q).verify(q, new byte[64]));
    assertTrue(e.getMessage().contains("REPORT_DATA differs from the expected binding"), e.getMessage());
  }

  @Test
  void aRealQuoteIsRefusedUnderTheTestRoot() throws Exception {
    byte[] q = v4();
    var policy = new TdxPolicy(new TdxTestPlatform().root, Set.of(new TdxQuote(q).mrTdHex()), Map.of(), MINIMUM_TEE_TCB_SVN,
        TdxPolicy.INTEL_TD_QE_MRSIGNER, 2, 4);
    var e = assertThrows(TdxAttestationException.class, () -> new TdxVerifier(policy, SnpTestPlatform.CLOCK).verify(q, new TdxQuote(q).reportData()));
    assertTrue(e.getMessage().contains("not the pinned Intel SGX Root CA"), e.getMessage());
  }
}
