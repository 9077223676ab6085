package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.attestation.TdxTestPlatform;
import io.covenant.core.error.MalformedInputException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigfsTsmReportsAreParsed {
  @TempDir Path temp;

  /** A synthetic SEV-SNP ATTESTATION_REPORT: random bytes everywhere, known values at REPORT_DATA and MEASUREMENT. */
  @Test
  void snpMeasurementIsReadAtOffset0x90() {
    byte[] report = new byte[0x4A0];
    new Random(1).nextBytes(report);
    byte[] measurement = new byte[48];
    byte[] reportData = new byte[64];
    for (int i = 0; i < 48; i++) measurement[i] = (byte) (0xA0 + i);
    for (int i = 0; i < 64; i++) reportData[i] = (byte) i;
    ByteBuffer.wrap(report).putInt(0, Integer.reverseBytes(2)); // VERSION, little-endian
    System.arraycopy(reportData, 0, report, 0x50, 64);
    System.arraycopy(measurement, 0, report, 0x90, 48);

    HardwareReport parsed = HardwareReport.parseSnp(report);
    assertEquals(HexFormat.of().formatHex(measurement), parsed.measurement().hex());
    assertArrayEquals(reportData, parsed.reportData());
  }

  @Test
  void truncatedSnpReportIsRefused() {
    assertThrows(MalformedInputException.class, () -> HardwareReport.parseSnp(new byte[0x4A0 - 1]));
  }

  @Test
  void tdxMrtdIsReadFromTheReportBody() {
    var q = new TdxTestPlatform().quote();
    for (int i = 0; i < 48; i++) q.mrTd[i] = (byte) (0x10 + i);
    for (int i = 0; i < 64; i++) q.reportData[i] = (byte) (0xF0 - i);
    HardwareReport parsed = HardwareReport.parseTdx(q.signed());
    assertEquals(HexFormat.of().formatHex(q.mrTd), parsed.measurement().hex());
    assertArrayEquals(q.reportData, parsed.reportData());
  }

  @Test
  void sgxQuoteIsNotMistakenForTdx() {
    byte[] quote = new byte[48 + 584];
    ByteBuffer.wrap(quote).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 4).putInt(4, 0);
    assertThrows(MalformedInputException.class, () -> HardwareReport.parseTdx(quote));
  }

  @Test
  void withoutConfigfsTsmTheProviderSaysItNeedsAConfidentialVm() {
    ConfigfsTsmProvider provider = new ConfigfsTsmProvider(temp.resolve("no-such-tsm"));
    assertFalse(provider.isAvailable());
    AttestationException x = assertThrows(AttestationException.class, () -> provider.attest(new byte[64]));
    assertTrue(x.getMessage().contains("confidential VM"), x.getMessage());
  }

  @Test
  void theDefaultLocationIsTheKernelAbiPath() {
    assertEquals(Path.of("/sys/kernel/config/tsm/report"), ConfigfsTsmProvider.DEFAULT_REPORT_ROOT);
    assertEquals("configfs-tsm", new ConfigfsTsmProvider().name());
  }
}
