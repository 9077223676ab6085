package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.AttestationVerifier;

import io.covenant.core.error.MalformedInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Attestation inside a real confidential VM through the Linux configfs-tsm report interface
 * (Documentation/ABI/testing/configfs-tsm, Linux 6.7+): create a report directory under
 * {@code /sys/kernel/config/tsm/report}, write the 64 bytes of report data to {@code inblob}, read the signed
 * report from {@code outblob}, the producing driver from {@code provider} ({@code sev_guest} or {@code tdx_guest})
 * and {@code generation} before and after, to detect another writer racing us on the same directory.
 *
 * <p>The measurement is read from the report: MEASUREMENT for AMD SEV-SNP, MRTD for Intel TDX. The evidence's
 * provider is {@code configfs-tsm/<driver>} and {@code simulated} is false. {@link AttestationVerifier} verifies SEV-SNP
 * reports when it is configured with core's SNP verifier (pinned ARK, VCEK source) and TDX quotes when it is configured
 * with core's TDX verifier (pinned Intel SGX Root CA; the quote carries its PCK chain).
 */
public final class ConfigfsTsmProvider implements AttestationProvider {
  /** The prefix of every provider name this class writes into evidence. */
  public static final String NAME_PREFIX = AttestationEvidence.CONFIGFS_TSM_PREFIX;
  public static final Path DEFAULT_REPORT_ROOT = Path.of("/sys/kernel/config/tsm/report");

  private static final SecureRandom RANDOM = new SecureRandom();
  private final Path reportRoot;
  private final Clock clock;

  public ConfigfsTsmProvider() {
    this(DEFAULT_REPORT_ROOT);
  }

  public ConfigfsTsmProvider(Path reportRoot) {
    this.reportRoot = reportRoot;
    this.clock = Clock.systemUTC();
  }

  /** Whether this machine exposes configfs-tsm reports, that is, whether it is a confidential VM with the driver loaded. */
  public boolean isAvailable() {
    return Files.isDirectory(reportRoot) && Files.isWritable(reportRoot);
  }

  @Override
  public String name() {
    return NAME_PREFIX;
  }

  @Override
  public AttestationEvidence attest(byte[] reportData) {
    if (reportData == null || reportData.length != AttestationEvidence.REPORT_DATA_BYTES) {
      throw new MalformedInputException("report data for attestation must be exactly " + AttestationEvidence.REPORT_DATA_BYTES + " bytes");
    }
    if (!isAvailable()) {
      throw new AttestationException("configfs-tsm is not available at " + reportRoot + ": this machine is not an AMD SEV-SNP or Intel "
          + "TDX confidential VM (or its kernel lacks CONFIG_TSM_REPORTS and the guest driver). Run the worker in a confidential VM, "
          + "or use the simulation provider where the data owners' policies allow simulation");
    }
    Path dir = reportRoot.resolve("covenant-" + HexFormat.of().formatHex(randomBytes()));
    try {
      Files.createDirectory(dir);
      try {
        Files.write(dir.resolve("inblob"), reportData);
        String before = read(dir, "generation");
        byte[] outblob = Files.readAllBytes(dir.resolve("outblob"));
        String driver = read(dir, "provider");
        String after = read(dir, "generation");
        if (!before.equals(after)) {
          throw new AttestationException("another process wrote to the configfs-tsm report " + dir + " while it was being read; retry");
        }
        HardwareReport report = switch (driver) {
          case "sev_guest" -> HardwareReport.parseSnp(outblob);
          case "tdx_guest" -> HardwareReport.parseTdx(outblob);
          default -> throw new AttestationException("configfs-tsm provider '" + driver + "' is not supported; sev_guest and tdx_guest are");
        };
        if (!MessageDigest.isEqual(report.reportData(), reportData)) {
          throw new AttestationException("the " + driver + " report does not carry the report data that was written to it; retry");
        }
        Instant at = Instant.ofEpochMilli(clock.instant().toEpochMilli());
        return new AttestationEvidence(NAME_PREFIX + "/" + driver, false, report.measurement(), reportData, at, outblob);
      } finally {
        Files.deleteIfExists(dir);
      }
    } catch (IOException e) {
      throw new AttestationException("the configfs-tsm report under " + reportRoot + " could not be produced: " + e.getMessage()
          + "; check that the worker may write there (it usually needs root)", e);
    }
  }

  private static String read(Path dir, String attribute) throws IOException {
    return new String(Files.readAllBytes(dir.resolve(attribute)), StandardCharsets.US_ASCII).trim();
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return b;
  }

  @Override
  public String toString() {
    return "ConfigfsTsmProvider[" + reportRoot + (isAvailable() ? "" : ", unavailable") + "]";
  }
}
