package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Any byte of the header or TD quote body changed after the quoting enclave signed it breaks the quote signature; a
 * changed QE report breaks the PCK's signature over it; a replaced attestation key or QE authentication data breaks
 * the QE report's binding.
 */
class AlteredTdxQuoteFailsItsSignature {
  private final TdxTestPlatform platform = new TdxTestPlatform();

  @ParameterizedTest(name = "v{0} body byte {1} altered")
  @CsvSource({"4,0", "4,120", "4,137", "4,330", "4,525", "4,583", "5,0", "5,137", "5,600", "5,647"})
  void alteringTheBodyIsRefused(int version, int bodyByte) {
    var q = platform.quote();
    q.version = version;
    if (version == 5) q.bodyType = TdxQuote.BODY_TYPE_TDX15;
    byte[] raw = q.signed();
    raw[TdxTestPlatform.bodyOffset(version) + bodyByte] ^= 0x01;
    String m = assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(raw, q.reportData)).getMessage();
    // a change in MRTD could also be caught by the allow-list; the signature is checked first
    assertTrue(m.contains("quote signature does not verify under the attestation key"), m);
  }

  @ParameterizedTest(name = "header byte {0} altered")
  @ValueSource(ints = {8, 10, 28, 47})
  void alteringAReservedOrUserDataHeaderByteIsRefused(int offset) {
    var q = platform.quote();
    byte[] raw = q.signed();
    raw[offset] ^= 0x01;
    String m = assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(raw, q.reportData)).getMessage();
    assertTrue(m.contains("quote signature does not verify"), m);
  }

  @ParameterizedTest(name = "QE report byte {0} altered")
  @ValueSource(ints = {0, 48, 128, 256, 258, 320})
  void alteringTheQeReportIsRefused(int qeByte) {
    var q = platform.quote();
    byte[] raw = q.signed();
    raw[qeReportOffset(raw) + qeByte] ^= 0x01;
    String m = assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(raw, q.reportData)).getMessage();
    assertTrue(m.contains("QE report signature does not verify under the PCK"), m);
  }

  @org.junit.jupiter.api.Test
  void anAttestationKeyNotVouchedForByTheQuotingEnclaveIsRefused() {
    // The attacker signs the quote with its own key and puts that key into the quote; the QE report still binds the old one.
    var q = platform.quote();
    var theirs = TdxTestPlatform.p256();
    byte[] genuine = q.signed();
    q.attestationKey = theirs.getPrivate();
    q.attestationPublicKey = (java.security.interfaces.ECPublicKey) theirs.getPublic();
    byte[] forged = q.signed();
    int qe = qeReportOffset(forged);
    System.arraycopy(genuine, qe, forged, qe, TdxQuote.QE_REPORT_BYTES + TdxQuote.SIGNATURE_BYTES); // keep the PCK-signed QE report
    String m = assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(forged, q.reportData)).getMessage();
    assertTrue(m.contains("QE report data is not SHA-256(attestation key || QE authentication data)"), m);
  }

  @org.junit.jupiter.api.Test
  void alteredQeAuthenticationDataIsRefused() {
    var q = platform.quote();
    byte[] raw = q.signed();
    raw[qeReportOffset(raw) + TdxQuote.QE_REPORT_BYTES + TdxQuote.SIGNATURE_BYTES + 2] ^= 0x01;
    String m = assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(raw, q.reportData)).getMessage();
    assertTrue(m.contains("QE report data is not SHA-256"), m);
  }

  @org.junit.jupiter.api.Test
  void anAttestationKeyOffTheCurveIsRefused() {
    var q = platform.quote();
    byte[] raw = q.signed();
    int body = TdxTestPlatform.bodyOffset(4);
    raw[body + TdxQuote.BODY_TDX10_BYTES + 4 + 64 + 63] ^= 0x01;
    String m = assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(raw, q.reportData)).getMessage();
    assertTrue(m.contains("QE report data is not SHA-256") || m.contains("not a point on P-256"), m);
  }

  static int qeReportOffset(byte[] raw) {
    int version = TdxQuote.u16(raw, 0);
    int bodyLength = version == 5 ? TdxQuote.u32(raw, TdxQuote.HEADER_BYTES + 2) : TdxQuote.BODY_TDX10_BYTES;
    return TdxTestPlatform.bodyOffset(version) + bodyLength + 4 + 64 + 64 + 6;
  }
}
