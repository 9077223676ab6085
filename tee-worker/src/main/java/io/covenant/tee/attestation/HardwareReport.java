package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.Measurement;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The two fields Covenant reads from a hardware attestation report: the launch measurement and the 64 bytes of
 * report data the guest asked to be bound into it. Parsing only; the report's signature is not checked here.
 */
record HardwareReport(Measurement measurement, byte[] reportData) {
  /** AMD SEV-SNP ABI specification (pub. 56860), table "ATTESTATION_REPORT structure": the report is 0x4A0 bytes. */
  static final int SNP_REPORT_BYTES = 0x4A0;
  static final int SNP_REPORT_DATA_OFFSET = 0x50;
  static final int SNP_MEASUREMENT_OFFSET = 0x90;
  static final int MEASUREMENT_BYTES = 48;

  /** Intel TDX DCAP quote (v4/v5): 48-byte header; TD report body with MRTD at +136 and REPORTDATA at +520, 584 bytes long. */
  static final int TDX_HEADER_BYTES = 48;
  static final int TDX_V5_BODY_DESCRIPTOR_BYTES = 6;
  static final int TDX_MRTD_OFFSET = 136;
  static final int TDX_REPORT_DATA_OFFSET = 520;
  static final int TDX_BODY_BYTES = 584;
  static final int TDX_TEE_TYPE = 0x81;

  HardwareReport {
    reportData = reportData.clone();
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  /** Reads an SEV-SNP ATTESTATION_REPORT: REPORT_DATA at 0x50 (64 bytes), MEASUREMENT at 0x90 (48 bytes). */
  static HardwareReport parseSnp(byte[] report) {
    if (report == null || report.length < SNP_REPORT_BYTES) {
      throw new MalformedInputException("an SEV-SNP attestation report has " + SNP_REPORT_BYTES + " bytes; got "
          + (report == null ? 0 : report.length) + ": the guest driver returned something else");
    }
    return new HardwareReport(
        measurement(report, SNP_MEASUREMENT_OFFSET),
        Arrays.copyOfRange(report, SNP_REPORT_DATA_OFFSET, SNP_REPORT_DATA_OFFSET + AttestationEvidence.REPORT_DATA_BYTES));
  }

  /** Reads a TDX quote: MRTD and REPORTDATA from the TD report body that follows the quote header. */
  static HardwareReport parseTdx(byte[] quote) {
    if (quote == null || quote.length < TDX_HEADER_BYTES) throw new MalformedInputException("a TDX quote is shorter than its 48-byte header");
    ByteBuffer b = ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN);
    int version = Short.toUnsignedInt(b.getShort(0));
    int teeType = b.getInt(4);
    if (teeType != TDX_TEE_TYPE) {
      throw new MalformedInputException("the quote's TEE type is 0x" + Integer.toHexString(teeType) + ", not TDX (0x81)");
    }
    int body = switch (version) {
      case 4 -> TDX_HEADER_BYTES;
      case 5 -> TDX_HEADER_BYTES + TDX_V5_BODY_DESCRIPTOR_BYTES;
      default -> throw new MalformedInputException("TDX quote version " + version + " is not supported; versions 4 and 5 are");
    };
    if (quote.length < body + TDX_BODY_BYTES) {
      throw new MalformedInputException("the TDX quote is truncated: its TD report body needs " + (body + TDX_BODY_BYTES) + " bytes, got " + quote.length);
    }
    return new HardwareReport(
        measurement(quote, body + TDX_MRTD_OFFSET),
        Arrays.copyOfRange(quote, body + TDX_REPORT_DATA_OFFSET, body + TDX_REPORT_DATA_OFFSET + AttestationEvidence.REPORT_DATA_BYTES));
  }

  private static Measurement measurement(byte[] b, int offset) {
    return new Measurement(HexFormat.of().formatHex(b, offset, offset + MEASUREMENT_BYTES));
  }
}
