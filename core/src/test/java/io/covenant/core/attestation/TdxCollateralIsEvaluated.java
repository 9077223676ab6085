package io.covenant.core.attestation;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TDX quote is evaluated against Intel's TCB info and QE identity collateral, read from files: genuine collateral for
 * an up-to-date platform passes; an out-of-date TCB level is refused by default (naming its status and advisory) and
 * accepted only when the verifier is told so by name; and every tampered document, foreign signer, expired document,
 * other platform, other TDX module signer, unmatched level and wrong quoting-enclave identity is refused with its name.
 * A TDX 1.5 module is judged by its own identity (tdxModuleIdentities) and level; revocation lists that revoke the PCK or
 * its CA, are forged, or have expired are refused by name.
 */
class TdxCollateralIsEvaluated {
  private final TdxTestPlatform platform = new TdxTestPlatform();
  private final TdxTestCollateral collateral = new TdxTestCollateral(platform);

  private TdxTestPlatform.Quote quote() {
    TdxTestPlatform.Quote q = platform.quote();
    q.chain = new java.security.cert.X509Certificate[] {collateral.pck(), platform.pckCa, platform.root};
    return q;
  }

  private TdxVerifier verifier(TdxTestPlatform.Quote q, Set<TdxTcbStatus> accepted) {
    TdxPolicy p = platform.policy(q.mrTd, Map.of());
    return new TdxVerifier(p, SnpTestPlatform.CLOCK, Optional.of(collateral.collateral()), accepted);
  }

  private void passes(TdxTestPlatform.Quote q) {
    assertDoesNotThrow(() -> verifier(q, Set.of(TdxTcbStatus.UP_TO_DATE)).verify(q.signed(), q.reportData));
  }

  private String refusal(TdxTestPlatform.Quote q) {
    return assertThrows(TdxAttestationException.class, () -> verifier(q, Set.of(TdxTcbStatus.UP_TO_DATE)).verify(q.signed(), q.reportData)).getMessage();
  }

  private String refusalWith(Consumer<TdxTestCollateral> change) {
    change.accept(collateral);
    return refusal(quote());
  }

  @Test
  void genuineCollateralForAnUpToDatePlatformPasses() {
    passes(quote());
  }

  @Test
  void anOutOfDateTcbIsRefusedByDefaultAndAcceptedOnlyByName() {
    TdxTestPlatform.Quote q = quote();
    q.teeTcbSvn = HexFormat.of().parseHex("02000400000000000000000000000000");
    q.mrTd = q.mrTd.clone();
    String m = assertThrows(TdxAttestationException.class,
        () -> new TdxVerifier(new TdxPolicy(platform.root, Set.of(HexFormat.of().formatHex(q.mrTd)), Map.of(), "02000400000000000000000000000000",
            TdxPolicy.INTEL_TD_QE_MRSIGNER, 2, 4), SnpTestPlatform.CLOCK, Optional.of(collateral.collateral()), Set.of(TdxTcbStatus.UP_TO_DATE))
            .verify(q.signed(), q.reportData)).getMessage();
    assertTrue(m.contains("is OutOfDate, with advisories INTEL-SA-00837; only UpToDate is accepted"), m);
    assertDoesNotThrow(() -> new TdxVerifier(new TdxPolicy(platform.root, Set.of(HexFormat.of().formatHex(q.mrTd)), Map.of(),
        "02000400000000000000000000000000", TdxPolicy.INTEL_TD_QE_MRSIGNER, 2, 4), SnpTestPlatform.CLOCK, Optional.of(collateral.collateral()),
        Set.of(TdxTcbStatus.UP_TO_DATE, TdxTcbStatus.OUT_OF_DATE)).verify(q.signed(), q.reportData));
  }

  @Test
  void aTcbOlderThanEveryLevelIsRefused() {
    TdxTestPlatform.Quote q = quote();
    q.teeTcbSvn = HexFormat.of().parseHex("01000100000000000000000000000000");
    String m = refusal(q);
    assertTrue(m.contains("no TCB level matches the platform"), m);
  }

  @Test
  void alteredTcbInfoFailsItsSignature() {
    String m = refusalWith(c -> c.tamperTcbInfo = t -> t.replace("\"OutOfDate\"", "\"UpToDate\""));
    assertTrue(m.startsWith("TCB info: the signature does not verify"), m);
  }

  @Test
  void collateralSignedUnderAnotherRootIsRefused() {
    TdxTestPlatform other = new TdxTestPlatform();
    String m = refusalWith(c -> c.signingCert = TdxTestPlatform.cert("CN=Test SGX TCB Signing", c.signingKeys.getPublic(), "CN=Test SGX Root CA",
        other.rootKeys.getPrivate(), false, false, TdxTestPlatform.NOW.plus(365, ChronoUnit.DAYS)));
    assertTrue(m.contains("does not verify under the pinned Intel SGX Root CA"), m);
  }

  @Test
  void collateralSignedByAKeyOtherThanTheCertificatesIsRefused() {
    String m = refusalWith(c -> c.signingKeys = TdxTestPlatform.p256());
    assertTrue(m.contains("the signature does not verify under the TCB signing key"), m);
  }

  @Test
  void expiredCollateralIsRefused() {
    String m = refusalWith(c -> c.nextUpdate = TdxTestPlatform.NOW.minus(1, ChronoUnit.HOURS));
    assertTrue(m.contains("expired at its nextUpdate"), m);
    collateral.issueDate = TdxTestPlatform.NOW.plus(1, ChronoUnit.DAYS);
    collateral.nextUpdate = TdxTestPlatform.NOW.plus(30, ChronoUnit.DAYS);
    String future = refusal(quote());
    assertTrue(future.contains("issueDate") && future.contains("is after"), future);
  }

  @Test
  void collateralForAnotherPlatformIsRefused() {
    String m = refusalWith(c -> c.fmspc = "00906ed50000");
    assertTrue(m.contains("it is for FMSPC 00906ed50000, but the quote's platform (PCK certificate) is 00806f050000"), m);
  }

  @Test
  void aTdxModuleSignedBySomeoneElseIsRefused() {
    String m = refusalWith(c -> c.tdxModuleMrSigner = "ab".repeat(48));
    assertTrue(m.contains("MRSIGNERSEAM") && m.contains("Intel did not sign"), m);
  }

  private static String moduleIdentity(String id, String mrSigner, String... levels) {
    return "{\"id\":\"" + id + "\",\"mrsigner\":\"" + mrSigner.toUpperCase() + "\",\"attributes\":\"0000000000000000\","
        + "\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":[" + String.join(",", levels) + "]}";
  }

  private static String moduleLevel(int isvsvn, String status) {
    return "{\"tcb\":{\"isvsvn\":" + isvsvn + "},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"" + status + "\"}";
  }

  /** TEE_TCB_SVN of a TDX 1.5 module: SVN {@code svn}, major version 3, then the platform's TDX components from the third byte. */
  private TdxTestPlatform.Quote moduleQuote(int svn) {
    TdxTestPlatform.Quote q = quote();
    q.teeTcbSvn = HexFormat.of().parseHex(String.format("%02x03040000000000000000000000000000", svn).substring(0, 32));
    return q;
  }

  @Test
  void aTdx15ModuleIsJudgedByItsOwnIdentityAndLevel() {
    collateral.moduleIdentities.add(moduleIdentity("TDX_01", "cd".repeat(48), moduleLevel(0, "UpToDate")));
    collateral.moduleIdentities.add(moduleIdentity("TDX_03", "00".repeat(48), moduleLevel(5, "UpToDate"), moduleLevel(2, "OutOfDate")));
    passes(moduleQuote(5));
    String old = refusal(moduleQuote(3));
    assertTrue(old.contains("TDX module TDX_03 at SVN 3") && old.contains("is OutOfDate"), old);
    String ancient = refusal(moduleQuote(1));
    assertTrue(ancient.contains("older than every level Intel lists"), ancient);
  }

  @Test
  void aTdx15ModuleWithoutItsIdentityOrSignedByAnotherIsRefused() {
    String unknown = refusal(moduleQuote(5));
    assertTrue(unknown.contains("TDX module is version 3") && unknown.contains("lists no identity TDX_03"), unknown);
    collateral.moduleIdentities.add(moduleIdentity("TDX_03", "ab".repeat(48), moduleLevel(0, "UpToDate")));
    String foreign = refusal(moduleQuote(5));
    assertTrue(foreign.contains("TDX module identity TDX_03") && foreign.contains("Intel did not sign"), foreign);
  }

  @Test
  void currentRevocationListsThatRevokeNothingOfTheChainPass() {
    TdxTestPlatform.Quote q = quote();
    collateral.crls.add(TdxTestCollateral.crl(platform.pckCa, platform.pckCaKeys.getPrivate(), TdxTestPlatform.NOW.minus(1, java.time.temporal.ChronoUnit.DAYS),
        platform.pckFor(TdxTestPlatform.p256().getPublic())));
    collateral.crls.add(TdxTestCollateral.crl(platform.root, platform.rootKeys.getPrivate(), TdxTestPlatform.NOW.minus(1, java.time.temporal.ChronoUnit.DAYS)));
    passes(q);
  }

  @Test
  void aRevokedPckOrPckCaIsRefusedByName() {
    TdxTestPlatform.Quote q = quote();
    collateral.crls.add(TdxTestCollateral.crl(platform.pckCa, platform.pckCaKeys.getPrivate(), TdxTestPlatform.NOW.minus(1, java.time.temporal.ChronoUnit.DAYS), q.chain[0]));
    String m = refusal(q);
    assertTrue(m.contains("was revoked by its CA") && m.contains("no longer trusted"), m);
    collateral.crls.clear();
    collateral.crls.add(TdxTestCollateral.crl(platform.root, platform.rootKeys.getPrivate(), TdxTestPlatform.NOW.minus(1, java.time.temporal.ChronoUnit.DAYS), platform.pckCa));
    String ca = refusal(quote());
    assertTrue(ca.contains("'" + platform.pckCa.getSubjectX500Principal().getName() + "'") && ca.contains("was revoked"), ca);
  }

  @Test
  void aForgedOrExpiredRevocationListIsRefused() {
    collateral.crls.add(TdxTestCollateral.crl(platform.pckCa, TdxTestPlatform.p256().getPrivate(), TdxTestPlatform.NOW.minus(1, java.time.temporal.ChronoUnit.DAYS)));
    String forged = refusal(quote());
    assertTrue(forged.contains("is not signed by that CA's key"), forged);
    collateral.crls.clear();
    collateral.crls.add(TdxTestCollateral.crl(platform.pckCa, platform.pckCaKeys.getPrivate(), TdxTestPlatform.NOW.minus(40, java.time.temporal.ChronoUnit.DAYS)));
    String expired = refusal(quote());
    assertTrue(expired.contains("expired at its nextUpdate"), expired);
  }

  @Test
  void aQuotingEnclaveOtherThanTheIdentityIsRefused() {
    String signer = refusalWith(c -> c.qeMrSigner = "cd".repeat(32));
    assertTrue(signer.startsWith("QE identity: the QE report's MRSIGNER"), signer);
  }

  @Test
  void anOutOfDateQuotingEnclaveIsRefused() {
    TdxTestPlatform.Quote q = quote();
    q.qeIsvSvn = 3;
    String m = assertThrows(TdxAttestationException.class, () -> new TdxVerifier(new TdxPolicy(platform.root, Set.of(HexFormat.of().formatHex(q.mrTd)),
        Map.of(), "01000100000000000000000000000000", TdxPolicy.INTEL_TD_QE_MRSIGNER, 2, 3), SnpTestPlatform.CLOCK,
        Optional.of(collateral.collateral()), Set.of(TdxTcbStatus.UP_TO_DATE)).verify(q.signed(), q.reportData)).getMessage();
    assertTrue(m.contains("QE identity: the quoting enclave's level (ISVSVN 3) is OutOfDate"), m);
  }

  @Test
  void aPckWithoutTheSgxTcbCannotBeMatched() {
    TdxTestPlatform.Quote q = platform.quote(); // the plain test PCK: SGX extensions present but empty
    String m = refusal(q);
    assertTrue(m.contains("lack the FMSPC, the PCE-ID or the TCB"), m);
  }

  @Test
  void anUnknownStatusIsNotUnderstoodAndRefused() {
    String m = refusalWith(c -> c.tcbLevels = new java.util.ArrayList<>(List.of(TdxTestCollateral.level(TdxTestCollateral.SGX_COMPONENTS,
        TdxTestCollateral.PCE_SVN, new int[] {3, 0, 4}, "2024-03-13T00:00:00Z", "MostlyFine", List.of()))));
    assertTrue(m.contains("TCB status 'MostlyFine' is not one Intel defines"), m);
  }

  @Test
  void collateralIsReadFromFiles(@TempDir Path dir) throws Exception {
    TdxCollateral c = collateral.collateral();
    Files.writeString(dir.resolve(TdxCollateral.TCB_INFO_FILE), c.tcbInfoJson());
    Files.writeString(dir.resolve(TdxCollateral.QE_IDENTITY_FILE), c.qeIdentityJson());
    Files.writeString(dir.resolve(TdxCollateral.ISSUER_CHAIN_FILE), collateral.issuerChainPem());
    TdxCollateral read = TdxCollateral.read(dir);
    assertEquals(c.tcbInfoJson(), read.tcbInfoJson());
    TdxTestPlatform.Quote q = quote();
    assertDoesNotThrow(() -> new TdxVerifier(platform.policy(q.mrTd, Map.of()), SnpTestPlatform.CLOCK, Optional.of(read), Set.of(TdxTcbStatus.UP_TO_DATE))
        .verify(q.signed(), q.reportData));
    Files.delete(dir.resolve(TdxCollateral.QE_IDENTITY_FILE));
    var e = assertThrows(TdxAttestationException.class, () -> TdxCollateral.read(dir));
    assertTrue(e.getMessage().contains("cannot read TDX collateral file") && e.getMessage().contains(TdxCollateral.QE_IDENTITY_FILE), e.getMessage());
  }
}
