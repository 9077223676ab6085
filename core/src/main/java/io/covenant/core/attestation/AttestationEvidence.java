package io.covenant.core.attestation;

import io.covenant.core.codec.Json;
import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.Measurement;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an enclave presents to prove which code it runs: the provider that produced it, whether it is a simulation,
 * the launch measurement, the 64 bytes of report data the enclave bound into it (a hash of the request it answers),
 * when it was issued, and the provider's quote (a signature or a hardware report) over those fields.
 *
 * <p>{@code simulated} is part of every record and of its hash: a simulation is never presented as hardware. The
 * issue time is kept to the millisecond, the precision the quote signs.
 */
public record AttestationEvidence(
    String provider, boolean simulated, Measurement measurement, byte[] reportData, Instant issuedAt, byte[] quote) {
  /** The provider name of simulated evidence: no hardware protection, and every record says so. */
  public static final String SIMULATED_PROVIDER = "simulated";
  /** The provider-name prefix of hardware evidence read through the Linux configfs-tsm interface, then "/" and the driver. */
  public static final String CONFIGFS_TSM_PREFIX = "configfs-tsm";
  /** Size of the report data field in SEV-SNP and TDX reports, which the simulation mirrors. */
  public static final int REPORT_DATA_BYTES = 64;
  private static final Pattern REPORT_DATA_HEX = Pattern.compile("[0-9a-f]{" + 2 * REPORT_DATA_BYTES + "}");

  public AttestationEvidence {
    if (provider == null || provider.isBlank()) throw new MalformedInputException("attestation evidence needs a provider name");
    if (measurement == null) throw new MalformedInputException("attestation evidence from '" + provider + "' has no measurement");
    if (reportData == null || reportData.length != REPORT_DATA_BYTES) {
      throw new MalformedInputException(
          "attestation evidence from '" + provider + "' must carry " + REPORT_DATA_BYTES + " bytes of report data");
    }
    if (issuedAt == null) throw new MalformedInputException("attestation evidence from '" + provider + "' has no issue time");
    if (quote == null || quote.length == 0) throw new MalformedInputException("attestation evidence from '" + provider + "' has no quote");
    reportData = reportData.clone();
    quote = quote.clone();
    issuedAt = issuedAt.truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public byte[] reportData() {
    return reportData.clone();
  }

  @Override
  public byte[] quote() {
    return quote.clone();
  }

  /** The consortium's hash (SHA-256 or SM3) of the canonical JSON form: what the ledger records in ATTESTATION_VERIFIED. */
  public Digest hash(io.covenant.core.crypto.CryptoSuite suite) {
    return suite.hash(toJson().canonicalBytes());
  }

  public Json.JObject toJson() {
    return Json.obj(
        "provider", provider,
        "simulated", simulated,
        "measurement", measurement.hex(),
        "reportData", HexFormat.of().formatHex(reportData),
        "issuedAt", issuedAt.toString(),
        "quote", Base64.getEncoder().encodeToString(quote));
  }

  public static AttestationEvidence fromJson(Json.JObject o) {
    Instant at;
    try {
      at = Instant.parse(o.string("issuedAt"));
    } catch (DateTimeParseException e) {
      throw new MalformedInputException("attestation evidence time '" + o.string("issuedAt") + "' is not an ISO-8601 instant");
    }
    String reportHex = o.string("reportData");
    if (!REPORT_DATA_HEX.matcher(reportHex).matches()) {
      throw new MalformedInputException("attestation evidence field 'reportData' must be " + 2 * REPORT_DATA_BYTES + " lower-case hex digits");
    }
    byte[] quote;
    try {
      quote = Base64.getDecoder().decode(o.string("quote"));
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException("attestation evidence field 'quote' is not base64");
    }
    return new AttestationEvidence(
        o.string("provider"), o.bool("simulated"), new Measurement(o.string("measurement")),
        HexFormat.of().parseHex(reportHex), at, quote);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AttestationEvidence e
        && provider.equals(e.provider)
        && simulated == e.simulated
        && measurement.equals(e.measurement)
        && Arrays.equals(reportData, e.reportData)
        && issuedAt.equals(e.issuedAt)
        && Arrays.equals(quote, e.quote);
  }

  @Override
  public int hashCode() {
    return Objects.hash(provider, simulated, measurement, Arrays.hashCode(reportData), issuedAt, Arrays.hashCode(quote));
  }

  @Override
  public String toString() {
    return "AttestationEvidence[" + provider + (simulated ? ", SIMULATED" : "") + ", measurement " + measurement.shortForm()
        + ", issued " + issuedAt + "]";
  }
}
