package io.covenant.core.attestation;

import java.security.cert.X509Certificate;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * The Intel SGX extensions of a PCK certificate that collateral is matched against (Intel SGX PCK Certificate and CRL
 * Profile Specification, section 3.5): the platform's FMSPC and PCE-ID, which select the TCB info, and its TCB (the 16
 * SGX TCB component SVNs and the PCE SVN), which selects the TCB level.
 *
 * <pre>
 * 1.2.840.113741.1.13.1      SGX Extensions  SEQUENCE OF SEQUENCE { OID, value }
 *   .2                        TCB             SEQUENCE { .2.1 .. .2.16 INTEGER (component SVNs), .2.17 INTEGER (PCESVN), .2.18 OCTET STRING (CPUSVN) }
 *   .3                        PCE-ID          OCTET STRING (2)
 *   .4                        FMSPC           OCTET STRING (6)
 * </pre>
 */
record PckExtensions(String fmspc, String pceId, int[] sgxTcbComponents, int pceSvn) {
  private static final String TCB = TdxVerifier.OID_SGX_EXTENSIONS + ".2", PCE_ID = TdxVerifier.OID_SGX_EXTENSIONS + ".3",
      FMSPC = TdxVerifier.OID_SGX_EXTENSIONS + ".4";

  static PckExtensions of(X509Certificate pck) {
    byte[] ext = pck.getExtensionValue(TdxVerifier.OID_SGX_EXTENSIONS);
    if (ext == null) throw new TdxAttestationException("PCK certificate: the Intel SGX extensions are missing");
    String fmspc = null, pceId = null;
    int[] components = null;
    int pceSvn = -1;
    try {
      ASN1Sequence sgx = ASN1Sequence.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      for (ASN1Encodable e : sgx) {
        ASN1Sequence pair = ASN1Sequence.getInstance(e);
        String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
        ASN1Encodable value = pair.getObjectAt(1);
        switch (oid) {
          case FMSPC -> fmspc = HexFormat.of().formatHex(ASN1OctetString.getInstance(value).getOctets());
          case PCE_ID -> pceId = HexFormat.of().formatHex(ASN1OctetString.getInstance(value).getOctets());
          case TCB -> {
            components = new int[16];
            java.util.Arrays.fill(components, -1);
            for (ASN1Encodable t : ASN1Sequence.getInstance(value)) {
              ASN1Sequence c = ASN1Sequence.getInstance(t);
              String cid = ASN1ObjectIdentifier.getInstance(c.getObjectAt(0)).getId();
              int index = Integer.parseInt(cid.substring(TCB.length() + 1));
              if (index >= 1 && index <= 16) components[index - 1] = ASN1Integer.getInstance(c.getObjectAt(1)).intValueExact();
              if (index == 17) pceSvn = ASN1Integer.getInstance(c.getObjectAt(1)).intValueExact();
            }
          }
          default -> { }
        }
      }
    } catch (RuntimeException e) {
      throw new TdxAttestationException("PCK certificate: the Intel SGX extensions cannot be read (" + e.getMessage() + ")", e);
    }
    if (fmspc == null || pceId == null || components == null || pceSvn < 0 || java.util.Arrays.stream(components).anyMatch(v -> v < 0)) {
      throw new TdxAttestationException("PCK certificate: the Intel SGX extensions lack the FMSPC, the PCE-ID or the TCB (16 component SVNs and "
          + "the PCESVN), so no TCB info can be matched to the platform");
    }
    return new PckExtensions(fmspc, pceId, components, pceSvn);
  }
}
