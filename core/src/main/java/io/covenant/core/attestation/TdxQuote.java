package io.covenant.core.attestation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Intel TDX DCAP quote, version 4 or 5, read field by field from the layout in Intel's "Intel TDX DCAP Quoting
 * Library API" (appendix A, "Quote Format": A.3 Version 4 quote format, A.4 Version 5 quote format) and "Intel SGX
 * ECDSA Quote Library API" (the SGX REPORT body the QE signs). All integers are little-endian.
 *
 * <pre>
 * Header (48 bytes)          0 VERSION u16   2 ATT_KEY_TYPE u16 (2 = ECDSA P-256)   4 TEE_TYPE u32 (0x81 = TDX)
 *                            8 RESERVED [4]  12 QE_VENDOR_ID [16]   28 USER_DATA [20]
 * v5 only, after the header: BODY_TYPE u16 (2 = TDX 1.0, 584 bytes; 3 = TDX 1.5, 648 bytes), BODY_SIZE u32
 * TD quote body              0 TEE_TCB_SVN [16]   16 MRSEAM [48]   64 MRSIGNERSEAM [48]   112 SEAM_ATTRIBUTES u64
 *                            120 TD_ATTRIBUTES u64   128 XFAM u64   136 MRTD [48]   184 MRCONFIGID [48]
 *                            232 MROWNER [48]   280 MROWNERCONFIG [48]   328 RTMR0..3 [4 x 48]   520 REPORT_DATA [64]
 *                            TDX 1.5 adds 584 TEE_TCB_SVN2 [16]   600 MRSERVICETD [48]
 * QUOTE_SIGNATURE_DATA_LEN u32, then the signature data:
 *                            0 QUOTE_SIGNATURE [64] (r || s, big-endian; over header .. body)
 *                            64 ATTESTATION_KEY [64] (raw P-256 point x || y)
 *                            128 CERTIFICATION_DATA: TYPE u16 (6 = QE report certification data), SIZE u32, then
 *                                QE_REPORT [384]   QE_REPORT_SIGNATURE [64] (by the PCK)
 *                                QE_AUTH_DATA_SIZE u16, QE_AUTH_DATA
 *                                TYPE u16 (5 = PCK certificate chain), SIZE u32, PEM of PCK, PCK CA, root CA
 * QE report (SGX REPORT body, 384 bytes): 0 CPUSVN [16]  16 MISCSELECT u32  48 ATTRIBUTES [16]  64 MRENCLAVE [32]
 *                            128 MRSIGNER [32]  256 ISVPRODID u16  258 ISVSVN u16  320 REPORT_DATA [64]
 * </pre>
 *
 * Parsing is strict: every length must agree with the spec and with the declared sizes, and bytes after the signature
 * data are refused unless they are zero padding. What the fields prove is {@link TdxVerifier}'s business.
 */
public record TdxQuote(byte[] raw) {
  public static final int HEADER_BYTES = 48;
  public static final int V5_BODY_DESCRIPTOR_BYTES = 6;
  public static final int BODY_TDX10_BYTES = 584;
  public static final int BODY_TDX15_BYTES = 648;
  public static final int BODY_TYPE_TDX10 = 2, BODY_TYPE_TDX15 = 3;
  public static final int ATT_KEY_TYPE_ECDSA_P256 = 2;
  public static final int TEE_TYPE_TDX = 0x81;
  public static final int CERT_TYPE_PCK_CHAIN = 5, CERT_TYPE_QE_REPORT = 6;
  public static final int QE_REPORT_BYTES = 384;
  public static final int SIGNATURE_BYTES = 64, ATTESTATION_KEY_BYTES = 64;
  public static final int REPORT_DATA_BYTES = 64, MR_BYTES = 48;
  /** Intel's QE vendor ID, 939A7233-F79C-4CA9-940A-0DB3957F0607 (DCAP Quoting Library API, quote header). */
  public static final String INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";

  /** Offsets within the TD quote body. */
  static final int B_TEE_TCB_SVN = 0, B_MRSEAM = 16, B_MRSIGNERSEAM = 64, B_SEAM_ATTRIBUTES = 112, B_TD_ATTRIBUTES = 120,
      B_XFAM = 128, B_MRTD = 136, B_MRCONFIGID = 184, B_MROWNER = 232, B_MROWNERCONFIG = 280, B_RTMR0 = 328,
      B_REPORT_DATA = 520, B_TEE_TCB_SVN2 = 584, B_MRSERVICETD = 600;
  /** Offsets within the QE report (SGX REPORT body). */
  static final int QE_CPUSVN = 0, QE_MISCSELECT = 16, QE_ATTRIBUTES = 48, QE_MRENCLAVE = 64, QE_MRSIGNER = 128,
      QE_ISVPRODID = 256, QE_ISVSVN = 258, QE_REPORT_DATA = 320;

  /** TD_ATTRIBUTES bit 0 (TUD.DEBUG): the VMM can read and change the TD's memory and state. */
  public static final long TD_ATTRIBUTE_DEBUG = 1L;
  /** TD_ATTRIBUTES bits 1-7: the rest of the TUD group, reserved and zero in any TD launched for production. */
  public static final long TD_ATTRIBUTES_TUD_RESERVED = 0xFEL;
  /** SGX ATTRIBUTES.FLAGS bit 1 (DEBUG) of the quoting enclave. */
  static final int SGX_ATTRIBUTE_DEBUG = 0x02;

  public TdxQuote {
    if (raw == null || raw.length < HEADER_BYTES) {
      throw new TdxAttestationException("a TDX quote starts with a " + HEADER_BYTES + "-byte header; got "
          + (raw == null ? "none" : raw.length + " bytes") + ": pass the quote exactly as the quoting service returned it");
    }
    raw = raw.clone();
    new Layout(raw); // validates every length and type before anyone reads a field
  }

  @Override
  public byte[] raw() {
    return raw.clone();
  }

  private Layout layout() {
    return new Layout(raw);
  }

  public int version() { return u16(raw, 0); }
  public int attestationKeyType() { return u16(raw, 2); }
  public int teeType() { return u32(raw, 4); }
  public String qeVendorIdHex() { return HexFormat.of().formatHex(raw, 12, 28); }
  /** 2 for a TDX 1.0 body (every v4 quote), 3 for a TDX 1.5 body. */
  public int bodyType() { return layout().bodyType; }

  public byte[] teeTcbSvn() { return body(B_TEE_TCB_SVN, 16); }
  public byte[] mrSeam() { return body(B_MRSEAM, MR_BYTES); }
  public byte[] mrSignerSeam() { return body(B_MRSIGNERSEAM, MR_BYTES); }
  public long seamAttributes() { return u64(raw, layout().body + B_SEAM_ATTRIBUTES); }
  /** SEAM_ATTRIBUTES as the 8 bytes of the quote, for masking as Intel's TCB info writes attributes. */
  public byte[] seamAttributesBytes() { return body(B_SEAM_ATTRIBUTES, 8); }
  public long tdAttributes() { return u64(raw, layout().body + B_TD_ATTRIBUTES); }
  public long xfam() { return u64(raw, layout().body + B_XFAM); }
  public byte[] mrTd() { return body(B_MRTD, MR_BYTES); }
  public byte[] mrConfigId() { return body(B_MRCONFIGID, MR_BYTES); }
  public byte[] mrOwner() { return body(B_MROWNER, MR_BYTES); }
  public byte[] mrOwnerConfig() { return body(B_MROWNERCONFIG, MR_BYTES); }
  /** RTMR {@code index} (0-3): run-time measurement registers the TD extends (firmware, kernel, command line, application). */
  public byte[] rtmr(int index) {
    if (index < 0 || index > 3) throw new TdxAttestationException("a TD has RTMR 0 to 3, not " + index);
    return body(B_RTMR0 + index * MR_BYTES, MR_BYTES);
  }
  public byte[] reportData() { return body(B_REPORT_DATA, REPORT_DATA_BYTES); }

  public String mrTdHex() { return HexFormat.of().formatHex(mrTd()); }

  /** Header and body (with the v5 body descriptor): the bytes the attestation key signed. */
  public byte[] signedBytes() { return Arrays.copyOfRange(raw, 0, layout().signatureDataLength); }
  /** The quote signature as r || s, the IEEE P1363 form {@code SHA256withECDSAinP1363Format} verifies. */
  public byte[] quoteSignature() { return sig(0, SIGNATURE_BYTES); }
  /** The attestation key, an uncompressed P-256 point without its 0x04 prefix. */
  public byte[] attestationKey() { return sig(SIGNATURE_BYTES, ATTESTATION_KEY_BYTES); }
  public byte[] qeReport() { Layout l = layout(); return Arrays.copyOfRange(raw, l.qeReport, l.qeReport + QE_REPORT_BYTES); }
  public byte[] qeReportSignature() { Layout l = layout(); return Arrays.copyOfRange(raw, l.qeReport + QE_REPORT_BYTES, l.qeReport + QE_REPORT_BYTES + SIGNATURE_BYTES); }
  public byte[] qeAuthData() { Layout l = layout(); return Arrays.copyOfRange(raw, l.qeAuthData, l.qeAuthData + l.qeAuthDataLength); }
  /** The PEM text of the PCK certificate chain the quote carries (PCK certificate, PCK CA, root CA). */
  public String pckChainPem() {
    Layout l = layout();
    return new String(raw, l.pckChain, l.pckChainLength, StandardCharsets.US_ASCII);
  }

  public byte[] qeReportData() { return qe(QE_REPORT_DATA, REPORT_DATA_BYTES); }
  public byte[] qeMrSigner() { return qe(QE_MRSIGNER, 32); }
  public byte[] qeAttributes() { return qe(QE_ATTRIBUTES, 16); }
  public int qeIsvProdId() { return u16(raw, layout().qeReport + QE_ISVPRODID); }
  public int qeIsvSvn() { return u16(raw, layout().qeReport + QE_ISVSVN); }
  /** The quoting enclave's MISCSELECT as the 4 bytes of its report, for masking as Intel's QE identity writes it. */
  public byte[] qeMiscSelect() { return qe(QE_MISCSELECT, 4); }

  private byte[] body(int off, int len) { int b = layout().body; return Arrays.copyOfRange(raw, b + off, b + off + len); }
  private byte[] sig(int off, int len) { int s = layout().signatureData; return Arrays.copyOfRange(raw, s + off, s + off + len); }
  private byte[] qe(int off, int len) { int q = layout().qeReport; return Arrays.copyOfRange(raw, q + off, q + off + len); }

  static int u16(byte[] b, int off) { return Short.toUnsignedInt(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(off)); }
  static int u32(byte[] b, int off) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(off); }
  static long u64(byte[] b, int off) { return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(off); }

  /** Where each variable-length part starts, computed once from the declared types and sizes and checked against the length. */
  private static final class Layout {
    final int bodyType, body, signatureDataLength, signatureData, qeReport, qeAuthData, qeAuthDataLength, pckChain, pckChainLength;

    Layout(byte[] q) {
      int version = u16(q, 0);
      if (version != 4 && version != 5) {
        throw new TdxAttestationException("TDX quote: version " + version + " is not supported; versions 4 and 5 are (Intel TDX DCAP Quoting Library API, appendix A)");
      }
      int keyType = u16(q, 2);
      if (keyType != ATT_KEY_TYPE_ECDSA_P256) {
        throw new TdxAttestationException("TDX quote: attestation key type " + keyType + " is not 2 (ECDSA-256-with-P-256), the only type TDX quotes use");
      }
      int tee = u32(q, 4);
      if (tee != TEE_TYPE_TDX) {
        throw new TdxAttestationException("TDX quote: TEE type 0x" + Integer.toHexString(tee) + " is not TDX (0x81); an SGX quote is not a TD's evidence");
      }
      int bodyLength;
      if (version == 4) {
        bodyType = BODY_TYPE_TDX10;
        body = HEADER_BYTES;
        bodyLength = BODY_TDX10_BYTES;
      } else {
        need(q, HEADER_BYTES + V5_BODY_DESCRIPTOR_BYTES, "the v5 body descriptor");
        bodyType = u16(q, HEADER_BYTES);
        bodyLength = u32(q, HEADER_BYTES + 2);
        int expected = switch (bodyType) {
          case BODY_TYPE_TDX10 -> BODY_TDX10_BYTES;
          case BODY_TYPE_TDX15 -> BODY_TDX15_BYTES;
          default -> throw new TdxAttestationException("TDX quote: v5 body type " + bodyType
              + " is not a TD report (2 = TDX 1.0, 3 = TDX 1.5); type 1 is an SGX enclave report");
        };
        if (bodyLength != expected) {
          throw new TdxAttestationException("TDX quote: v5 body size " + bodyLength + " does not match body type " + bodyType + " (" + expected + " bytes)");
        }
        body = HEADER_BYTES + V5_BODY_DESCRIPTOR_BYTES;
      }
      signatureDataLength = body + bodyLength;
      need(q, signatureDataLength + 4, "the TD quote body and the signature data length");
      long declared = Integer.toUnsignedLong(u32(q, signatureDataLength));
      signatureData = signatureDataLength + 4;
      need(q, signatureData + declared, "the signature data of the declared length " + declared);
      int end = (int) (signatureData + declared);
      int certHeader = signatureData + SIGNATURE_BYTES + ATTESTATION_KEY_BYTES;
      need(q, certHeader + 6, "the certification data header");
      int certType = u16(q, certHeader);
      if (certType != CERT_TYPE_QE_REPORT) {
        throw new TdxAttestationException("TDX quote: certification data type " + certType
            + " is not 6 (QE report certification data), which a TDX quote must carry to vouch for its attestation key");
      }
      long certSize = Integer.toUnsignedLong(u32(q, certHeader + 2));
      if (certHeader + 6 + certSize != end) {
        throw new TdxAttestationException("TDX quote: certification data size " + certSize + " disagrees with the signature data length " + declared);
      }
      qeReport = certHeader + 6;
      int authSize = qeReport + QE_REPORT_BYTES + SIGNATURE_BYTES;
      need(q, authSize + 2, "the QE report, its signature and the QE authentication data size");
      if (authSize + 2 > end) throw new TdxAttestationException("TDX quote: the QE report certification data is shorter than a QE report and its signature");
      qeAuthDataLength = u16(q, authSize);
      qeAuthData = authSize + 2;
      int inner = qeAuthData + qeAuthDataLength;
      if (inner + 6 > end) throw new TdxAttestationException("TDX quote: the QE authentication data (" + qeAuthDataLength + " bytes) overruns the certification data");
      int innerType = u16(q, inner);
      if (innerType != CERT_TYPE_PCK_CHAIN) {
        throw new TdxAttestationException("TDX quote: QE certification data type " + innerType
            + " is not 5 (PCK certificate chain); fetch the PCK certificate chain for this platform and quote again");
      }
      long chainSize = Integer.toUnsignedLong(u32(q, inner + 2));
      if (inner + 6 + chainSize != end) {
        throw new TdxAttestationException("TDX quote: PCK certificate chain size " + chainSize + " disagrees with the certification data size " + certSize);
      }
      pckChain = inner + 6;
      pckChainLength = (int) chainSize;
      for (int i = end; i < q.length; i++) {
        if (q[i] != 0) {
          throw new TdxAttestationException("TDX quote: " + (q.length - end) + " trailing bytes after the signature data are not zero padding: "
              + "the quote was altered or two quotes were joined");
        }
      }
    }

    private static void need(byte[] q, long upTo, String what) {
      if (q.length < upTo) throw new TdxAttestationException("TDX quote is truncated: " + what + " needs " + upTo + " bytes, got " + q.length);
    }
  }

  @Override
  public boolean equals(Object o) { return o instanceof TdxQuote t && Arrays.equals(raw, t.raw); }

  @Override
  public int hashCode() { return Arrays.hashCode(raw); }

  @Override
  public String toString() { return "TdxQuote[v" + version() + ", MRTD " + mrTdHex().substring(0, 16) + "…]"; }
}
