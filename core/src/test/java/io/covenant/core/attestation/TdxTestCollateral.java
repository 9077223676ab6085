package io.covenant.core.attestation;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Intel's TDX collateral, shaped like the real documents (Intel Trusted Services API: "TCB Info V3" for TDX and
 * "Enclave Identity V2" for TD_QE) and signed by a TCB signing certificate under a {@link TdxTestPlatform}'s root, for
 * the platform's PCK certificate with {@link #FMSPC}, {@link #PCE_ID}, SGX component SVNs of 5 and PCE SVN 13. The TCB
 * info lists two levels, newest first: TDX components (3, 0, 4, 0...) UpToDate, and (2, 0, 4, 0...) OutOfDate with an
 * advisory. Every field can be changed before {@link #collateral()} signs it; {@link #tamper} changes the signed text
 * afterwards.
 */
final class TdxTestCollateral {
  static final String FMSPC = "00806f050000", PCE_ID = "0000";
  static final int[] SGX_COMPONENTS = {5, 5, 2, 2, 2, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0};
  static final int PCE_SVN = 13;

  final TdxTestPlatform platform;
  KeyPair signingKeys = TdxTestPlatform.p256();
  X509Certificate signingCert;
  String fmspc = FMSPC;
  String pceId = PCE_ID;
  Instant issueDate = TdxTestPlatform.NOW.minus(1, ChronoUnit.DAYS);
  Instant nextUpdate = TdxTestPlatform.NOW.plus(29, ChronoUnit.DAYS);
  String tdxModuleMrSigner = "00".repeat(48);
  /** TDX 1.5 module identities, JSON objects of tdxModuleIdentities; none by default. */
  List<String> moduleIdentities = new ArrayList<>();
  String seamAttributesMask = "ffffffffffffffff";
  List<String> tcbLevels = new ArrayList<>(List.of(
      level(SGX_COMPONENTS, PCE_SVN, new int[] {3, 0, 4}, "2024-03-13T00:00:00Z", "UpToDate", List.of()),
      level(SGX_COMPONENTS, PCE_SVN, new int[] {2, 0, 4}, "2023-08-09T00:00:00Z", "OutOfDate", List.of("INTEL-SA-00837"))));
  String qeMrSigner = TdxPolicy.INTEL_TD_QE_MRSIGNER.toUpperCase();
  int qeIsvProdId = TdxPolicy.INTEL_TD_QE_ISVPRODID;
  List<String> qeLevels = new ArrayList<>(List.of(
      "{\"tcb\":{\"isvsvn\":4},\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"UpToDate\"}",
      "{\"tcb\":{\"isvsvn\":3},\"tcbDate\":\"2023-08-09T00:00:00Z\",\"tcbStatus\":\"OutOfDate\"}"));
  UnaryOperator<String> tamperTcbInfo = UnaryOperator.identity();

  TdxTestCollateral(TdxTestPlatform platform) {
    this.platform = platform;
    signingCert = TdxTestPlatform.cert("CN=Test SGX TCB Signing", signingKeys.getPublic(), "CN=Test SGX Root CA", platform.rootKeys.getPrivate(), false, false,
        TdxTestPlatform.NOW.plus(365, ChronoUnit.DAYS));
  }

  /** The platform's PCK certificate with the TCB this collateral describes. */
  X509Certificate pck() {
    return platform.pckWithTcb(FMSPC, PCE_ID, SGX_COMPONENTS, PCE_SVN);
  }

  static String level(int[] sgx, int pceSvn, int[] tdxPrefix, String date, String status, List<String> advisories) {
    StringBuilder s = new StringBuilder("{\"tcb\":{\"sgxtcbcomponents\":[");
    for (int i = 0; i < 16; i++) s.append(i == 0 ? "" : ",").append("{\"svn\":").append(sgx[i]).append(",\"category\":\"BIOS\",\"type\":\"Early Microcode Update\"}");
    s.append("],\"pcesvn\":").append(pceSvn).append(",\"tdxtcbcomponents\":[");
    for (int i = 0; i < 16; i++) s.append(i == 0 ? "" : ",").append("{\"svn\":").append(i < tdxPrefix.length ? tdxPrefix[i] : 0).append("}");
    s.append("]},\"tcbDate\":\"").append(date).append("\",\"tcbStatus\":\"").append(status).append('"');
    if (!advisories.isEmpty()) s.append(",\"advisoryIDs\":[\"").append(String.join("\",\"", advisories)).append("\"]");
    return s.append('}').toString();
  }

  String tcbInfoBody() {
    return "{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"" + issueDate + "\",\"nextUpdate\":\"" + nextUpdate + "\",\"fmspc\":\"" + fmspc.toUpperCase()
        + "\",\"pceId\":\"" + pceId + "\",\"tcbType\":0,\"tcbEvaluationDataNumber\":17,\"tdxModule\":{\"mrsigner\":\"" + tdxModuleMrSigner.toUpperCase()
        + "\",\"attributes\":\"0000000000000000\",\"attributesMask\":\"" + seamAttributesMask.toUpperCase() + "\"}"
        + (moduleIdentities.isEmpty() ? "" : ",\"tdxModuleIdentities\":[" + String.join(",", moduleIdentities) + "]") + ",\"tcbLevels\":["
        + String.join(",", tcbLevels) + "]}";
  }

  String qeIdentityBody() {
    return "{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":\"" + issueDate + "\",\"nextUpdate\":\"" + nextUpdate + "\",\"tcbEvaluationDataNumber\":17,"
        + "\"miscselect\":\"00000000\",\"miscselectMask\":\"FFFFFFFF\",\"attributes\":\"11000000000000000000000000000000\","
        + "\"attributesMask\":\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":\"" + qeMrSigner + "\",\"isvprodid\":" + qeIsvProdId
        + ",\"tcbLevels\":[" + String.join(",", qeLevels) + "]}";
  }

  private String signed(String member, String body) {
    String sig = HexFormat.of().formatHex(TdxTestPlatform.p1363(signingKeys.getPrivate(), body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return "{\"" + member + "\":" + body + ",\"signature\":\"" + sig + "\"}";
  }

  /** Revocation lists the collateral carries; none by default. */
  List<java.security.cert.X509CRL> crls = new ArrayList<>();

  TdxCollateral collateral() {
    return new TdxCollateral(tamperTcbInfo.apply(signed("tcbInfo", tcbInfoBody())), signed("enclaveIdentity", qeIdentityBody()),
        List.of(signingCert, platform.root), crls);
  }

  /**
   * A CRL issued by {@code issuer} (its name) and signed with {@code key}, current from {@code thisUpdate} for 30 days,
   * revoking {@code revoked} (may be empty): BouncyCastle's X509v2CRLBuilder, as a CA would issue it (RFC 5280 §5).
   */
  static java.security.cert.X509CRL crl(java.security.cert.X509Certificate issuer, java.security.PrivateKey key, Instant thisUpdate,
      java.security.cert.X509Certificate... revoked) {
    try {
      var builder = new org.bouncycastle.cert.X509v2CRLBuilder(new org.bouncycastle.asn1.x500.X500Name(issuer.getSubjectX500Principal().getName()),
          java.util.Date.from(thisUpdate));
      builder.setNextUpdate(java.util.Date.from(thisUpdate.plus(30, ChronoUnit.DAYS)));
      for (var r : revoked) builder.addCRLEntry(r.getSerialNumber(), java.util.Date.from(thisUpdate), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
      var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(key);
      return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(builder.build(signer));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  String issuerChainPem() {
    return TdxTestPlatform.pemChain(signingCert, platform.root);
  }
}
