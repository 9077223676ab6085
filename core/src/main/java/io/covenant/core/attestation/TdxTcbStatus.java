package io.covenant.core.attestation;

/**
 * The status Intel's TCB info gives a TCB level, or Intel's QE identity a quoting-enclave level (Intel Trusted Services
 * API, "TCB Info V3" and "Enclave Identity V2": {@code tcbStatus}). Only {@link #UP_TO_DATE} is accepted unless a
 * verifier is told otherwise, by name: an out-of-date TCB has published vulnerabilities (its {@code advisoryIDs}).
 */
public enum TdxTcbStatus {
  UP_TO_DATE("UpToDate"),
  SW_HARDENING_NEEDED("SWHardeningNeeded"),
  CONFIGURATION_NEEDED("ConfigurationNeeded"),
  CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded"),
  OUT_OF_DATE("OutOfDate"),
  OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded"),
  REVOKED("Revoked");

  private final String wireName;

  TdxTcbStatus(String wireName) {
    this.wireName = wireName;
  }

  /** As Intel writes it, e.g. {@code UpToDate}. */
  public String wireName() {
    return wireName;
  }

  static TdxTcbStatus parse(String text, String what) {
    for (TdxTcbStatus s : values()) if (s.wireName.equals(text)) return s;
    throw new TdxAttestationException(what + ": TCB status '" + text + "' is not one Intel defines; the collateral is not understood, so it is refused");
  }
}
