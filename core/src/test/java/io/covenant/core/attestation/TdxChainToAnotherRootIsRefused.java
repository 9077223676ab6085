package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.*;

import java.security.cert.X509Certificate;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * A quote whose PCK chain does not lead to the pinned root, or whose PCK certificate another CA issued, expired, or
 * that lacks the SGX extensions, is refused, however well its own signatures verify.
 */
class TdxChainToAnotherRootIsRefused {
  private final TdxTestPlatform platform = new TdxTestPlatform();
  private final TdxTestPlatform attacker = new TdxTestPlatform();

  private String refusal(TdxTestPlatform.Quote q) {
    return assertThrows(TdxAttestationException.class, () -> platform.verifier(q.mrTd).verify(q.signed(), q.reportData)).getMessage();
  }

  @Test
  void aWholeChainFromAnotherRootIsRefused() {
    var q = attacker.quote();
    assertTrue(refusal(q).contains("is not the pinned Intel SGX Root CA: the chain leads to another root"), refusal(q));
  }

  @Test
  void anotherRootsCaPresentedWithoutItsRootIsRefused() {
    var q = attacker.quote();
    q.chain = new X509Certificate[] {attacker.pck, attacker.pckCa};
    assertTrue(refusal(q).contains("does not verify under the pinned Intel SGX Root CA"), refusal(q));
  }

  @Test
  void aPckIssuedByAnotherCaUnderTheGenuineCaNameIsRefused() {
    var q = platform.quote();
    q.chain = new X509Certificate[] {attacker.pck, platform.pckCa, platform.root};
    q.pckKey = attacker.pckKeys.getPrivate();
    assertTrue(refusal(q).contains("PCK certificate does not verify under the PCK CA"), refusal(q));
  }

  @Test
  void aQeReportSignedByAnotherPlatformsPckIsRefused() {
    var q = platform.quote();
    q.pckKey = attacker.pckKeys.getPrivate();
    assertTrue(refusal(q).contains("QE report signature does not verify under the PCK certificate's key"), refusal(q));
  }

  @Test
  void anExpiredPckCertificateIsRefused() {
    var q = platform.quote();
    q.chain = new X509Certificate[] {TdxTestPlatform.cert("CN=Test SGX PCK Certificate", platform.pckKeys.getPublic(), "CN=Test SGX PCK Platform CA",
        platform.pckCaKeys.getPrivate(), false, true, TdxTestPlatform.NOW.minus(1, ChronoUnit.DAYS)), platform.pckCa, platform.root};
    assertTrue(refusal(q).contains("CN=Test SGX PCK Certificate' is not valid at"), refusal(q));
  }

  @Test
  void aLeafWithoutTheSgxExtensionsIsRefused() {
    var q = platform.quote();
    q.chain = new X509Certificate[] {TdxTestPlatform.cert("CN=Test SGX PCK Certificate", platform.pckKeys.getPublic(), "CN=Test SGX PCK Platform CA",
        platform.pckCaKeys.getPrivate(), false, false, TdxTestPlatform.NOW.plus(1, ChronoUnit.DAYS)), platform.pckCa, platform.root};
    assertTrue(refusal(q).contains("the Intel SGX extensions (1.2.840.113741.1.13.1) are missing"), refusal(q));
  }

  @Test
  void aChainOfOneCertificateIsRefused() {
    var q = platform.quote();
    q.chain = new X509Certificate[] {platform.pck};
    assertTrue(refusal(q).contains("has 1 certificates"), refusal(q));
  }
}
