package io.covenant.core.attestation;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Verifies an AMD SEV-SNP attestation report against a {@link SnpPolicy}, following the AMD SEV-SNP ABI specification
 * (publication 56860, section 7.3 and table "ATTESTATION_REPORT Structure") and the VCEK certificate specification
 * (AMD publication 57230, "Versioned Chip Endorsement Key (VCEK) Certificate and KDS Interface Specification").
 *
 * <p>In order: the VCEK chain (ASK signed by the pinned ARK with RSASSA-PSS SHA-384, VCEK signed by the ASK, each
 * within its validity period); the report's signature under the VCEK's P-384 key; the VCEK's TCB extensions and hwID
 * against the report's REPORTED_TCB and CHIP_ID (so a VCEK of another chip or TCB cannot vouch for it); then the guest
 * policy (no debug, no migration agent unless allowed), VMPL 0, the minimum TCB, the measurement allow-list and the
 * report data binding. The first failure throws an {@link SnpAttestationException} naming the field.
 */
public final class SnpVerifier {
  /** VCEK extension OIDs (AMD pub. 57230, table "VCEK Certificate Extensions"). */
  static final String OID_BL_SPL = "1.3.6.1.4.1.3704.1.3.1", OID_TEE_SPL = "1.3.6.1.4.1.3704.1.3.2",
      OID_SNP_SPL = "1.3.6.1.4.1.3704.1.3.3", OID_UCODE_SPL = "1.3.6.1.4.1.3704.1.3.8", OID_HWID = "1.3.6.1.4.1.3704.1.4";

  private final SnpPolicy policy;
  private final Clock clock;

  public SnpVerifier(SnpPolicy policy, Clock clock) {
    if (policy == null || clock == null) throw new SnpAttestationException("an SNP verifier needs a policy and a clock");
    this.policy = policy;
    this.clock = clock;
  }

  /**
   * Verifies {@code rawReport} signed by {@code vcek}, whose issuer {@code ask} must be signed by the pinned ARK, and
   * bound to {@code expectedReportData}. Returns the parsed report when every check passes.
   */
  public SnpReport verify(byte[] rawReport, X509Certificate vcek, X509Certificate ask, byte[] expectedReportData) {
    if (vcek == null || ask == null) throw new SnpAttestationException("SNP evidence needs the VCEK and ASK certificates; fetch them from AMD's KDS or the guest's certificate table");
    if (expectedReportData == null || expectedReportData.length != SnpReport.REPORT_DATA_BYTES) {
      throw new SnpAttestationException("the expected SNP report data must be " + SnpReport.REPORT_DATA_BYTES + " bytes");
    }
    SnpReport report = new SnpReport(rawReport);
    verifyChain(vcek, ask);
    verifySignature(report, vcek.getPublicKey());
    checkVcekMatchesReport(vcek, report);
    checkPolicy(report, expectedReportData);
    return report;
  }

  private void verifyChain(X509Certificate vcek, X509Certificate ask) {
    Date now = Date.from(clock.instant());
    X509Certificate ark = policy.pinnedArk();
    signedBy(ask, ark.getPublicKey(), "ASK certificate does not verify under the pinned ARK: the chain leads to another root");
    signedBy(vcek, ask.getPublicKey(), "VCEK certificate does not verify under the ASK: it was not issued by this AMD signing key");
    for (var c : new X509Certificate[] {ark, ask, vcek}) {
      try {
        c.checkValidity(now);
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw new SnpAttestationException("certificate '" + c.getSubjectX500Principal().getName() + "' is not valid at " + clock.instant()
            + " (valid " + c.getNotBefore().toInstant() + " to " + c.getNotAfter().toInstant() + ")");
      }
    }
    if (!(vcek.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 384) {
      throw new SnpAttestationException("the VCEK's public key is not an EC P-384 key, as the VCEK specification requires");
    }
  }

  static void signedBy(X509Certificate cert, PublicKey issuerKey, String failure) {
    try {
      cert.verify(issuerKey);
    } catch (GeneralSecurityException e) {
      throw new SnpAttestationException(failure, e);
    }
  }

  private static void verifySignature(SnpReport report, PublicKey vcekKey) {
    if (report.version() < SnpReport.OLDEST_VERSION) {
      throw new SnpAttestationException("SNP report: version " + report.version() + " is older than " + SnpReport.OLDEST_VERSION
          + ", the oldest layout this verifier reads; update the platform's SNP firmware");
    }
    if (report.signatureAlgo() != SnpReport.ALGO_ECDSA_P384_SHA384) {
      throw new SnpAttestationException("SNP report: signature_algo " + report.signatureAlgo() + " is not 1 (ECDSA P-384 with SHA-384)");
    }
    if (report.signingKey() != 0) {
      throw new SnpAttestationException("SNP report: signing_key " + report.signingKey() + " is not 0 (VCEK); only VCEK-signed reports are accepted");
    }
    boolean ok;
    try {
      Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
      s.initVerify(vcekKey);
      s.update(report.signedBytes());
      ok = s.verify(report.signatureP1363());
    } catch (GeneralSecurityException e) {
      ok = false;
    }
    if (!ok) {
      throw new SnpAttestationException("SNP report: signature does not verify under the VCEK's key: the report was altered "
          + "after the AMD secure processor signed it, or another chip's key signed it");
    }
  }

  private static void checkVcekMatchesReport(X509Certificate vcek, SnpReport report) {
    SnpTcb reported = report.reportedTcb();
    SnpTcb certified = new SnpTcb(spl(vcek, OID_BL_SPL, "bootloader"), spl(vcek, OID_TEE_SPL, "tee"),
        spl(vcek, OID_SNP_SPL, "snp"), spl(vcek, OID_UCODE_SPL, "microcode"));
    if (!certified.equals(reported)) {
      throw new SnpAttestationException("SNP report: reported_tcb (" + reported + ") differs from the TCB the VCEK certifies ("
          + certified + "): the VCEK was issued for another TCB; fetch the VCEK for the reported TCB");
    }
    byte[] hwid = asn1(vcek, OID_HWID, "hwID") instanceof ASN1OctetString o ? o.getOctets() : null;
    if (hwid == null) throw new SnpAttestationException("VCEK certificate: extension hwID (" + OID_HWID + ") is not an OCTET STRING");
    if (!MessageDigest.isEqual(hwid, report.chipId())) {
      throw new SnpAttestationException("SNP report: chip_id " + HexFormat.of().formatHex(report.chipId()).substring(0, 16)
          + "… differs from the VCEK's hwID " + HexFormat.of().formatHex(hwid).substring(0, Math.min(16, 2 * hwid.length))
          + "…: the VCEK belongs to another chip");
    }
  }

  private static int spl(X509Certificate vcek, String oid, String name) {
    if (!(asn1(vcek, oid, name) instanceof ASN1Integer i)) {
      throw new SnpAttestationException("VCEK certificate: TCB extension " + name + " (" + oid + ") is not an INTEGER");
    }
    BigInteger v = i.getValue();
    if (v.signum() < 0 || v.bitLength() > 8) throw new SnpAttestationException("VCEK certificate: TCB extension " + name + " is " + v + ", not 0-255");
    return v.intValueExact();
  }

  private static ASN1Primitive asn1(X509Certificate vcek, String oid, String name) {
    byte[] ext = vcek.getExtensionValue(oid);
    if (ext == null) throw new SnpAttestationException("VCEK certificate: extension " + name + " (" + oid + ") is missing; this is not a VCEK");
    try {
      return ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets());
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new SnpAttestationException("VCEK certificate: extension " + name + " (" + oid + ") is not valid DER", e);
    }
  }

  private void checkPolicy(SnpReport report, byte[] expectedReportData) {
    long p = report.policy();
    if ((p & SnpReport.POLICY_DEBUG) != 0) {
      throw new SnpAttestationException("SNP report: debug bit set in policy 0x" + Long.toHexString(p)
          + "; debug guests are refused because the hypervisor can read their memory");
    }
    if ((p & SnpReport.POLICY_MIGRATE_MA) != 0 && !policy.allowMigrationAgent()) {
      throw new SnpAttestationException("SNP report: migration agent bit set in policy 0x" + Long.toHexString(p)
          + "; guests that a migration agent may move are refused unless the policy allows them");
    }
    if (report.vmpl() != 0) {
      throw new SnpAttestationException("SNP report: vmpl " + report.vmpl() + " is not 0; only reports requested at VMPL 0 "
          + "come from the guest kernel rather than from less privileged code inside the guest");
    }
    String below = report.reportedTcb().firstComponentBelow(policy.minimumTcb());
    if (below != null) {
      throw new SnpAttestationException("SNP report: reported_tcb." + below + ": the platform's firmware is out of date; "
          + "update it or lower the minimum deliberately");
    }
    String m = report.measurementHex();
    if (!policy.allowedMeasurements().contains(m)) {
      throw new SnpAttestationException("SNP report: measurement " + m.substring(0, 16) + "… is not on the allow-list: "
          + "the guest runs code nobody approved");
    }
    if (!MessageDigest.isEqual(report.reportData(), expectedReportData)) {
      throw new SnpAttestationException("SNP report: report_data differs from the expected binding: the report was made for "
          + "another job, dataset or enclave key, or it is being replayed");
    }
  }
}
