package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.TdxAttestationException;
import io.covenant.core.attestation.TdxQuote;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.Measurement;
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

  /** Reads a TDX quote (v4 or v5) with core's {@link TdxQuote} parser: MRTD and REPORT_DATA from its TD quote body. */
  static HardwareReport parseTdx(byte[] quote) {
    TdxQuote q;
    try {
      q = new TdxQuote(quote);
    } catch (TdxAttestationException e) {
      throw new MalformedInputException("the tdx_guest driver returned no valid TDX quote: " + e.getMessage());
    }
    return new HardwareReport(new Measurement(q.mrTdHex()), q.reportData());
  }

  private static Measurement measurement(byte[] b, int offset) {
    return new Measurement(HexFormat.of().formatHex(b, offset, offset + MEASUREMENT_BYTES));
  }
}
