package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationException;
import io.covenant.core.attestation.SimulatedQuote;

import io.covenant.core.crypto.SigningKey;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.Measurement;
import java.time.Clock;
import java.time.Instant;

/**
 * Attestation for machines without confidential-computing hardware. It proves nothing about isolation: every record
 * it produces says {@code simulated = true}, default policies refuse it, and a verifier accepts it only when the
 * operator explicitly trusts this installation's simulation key.
 *
 * <p>What it does bind is the code: the measurement is the {@link EnclaveImage} total, SHA-384 over every jar and
 * classes directory on the worker's class path and the JVM it runs on (see {@link #codeMeasurement()}), so an owner
 * who allow-lists a measurement allow-lists exactly one build of everything that runs beside the data (worker, core,
 * storage, DuckDB and its native library, the JDK), and any change to any of them changes the measurement. The quote is an Ed25519 signature (RFC 8032) by the
 * per-installation simulation key over measurement || reportData || issuedAt.
 */
public final class SimulatedAttestationProvider implements AttestationProvider {
  /** The provider name in every simulated record; a verifier's trusted root for simulation is keyed by it. */
  public static final String NAME = AttestationEvidence.SIMULATED_PROVIDER;

  private final SigningKey simulationKey;
  private final Clock clock;

  private SimulatedAttestationProvider(SigningKey simulationKey, Clock clock) {
    this.simulationKey = simulationKey;
    this.clock = clock;
  }

  public static SimulatedAttestationProvider create(SigningKey simulationKey) {
    return create(simulationKey, Clock.systemUTC());
  }

  static SimulatedAttestationProvider create(SigningKey simulationKey, Clock clock) {
    if (simulationKey == null) throw new MalformedInputException("the simulation provider needs this installation's simulation signing key");
    return new SimulatedAttestationProvider(simulationKey, clock);
  }

  /** The key a verifier must trust, under {@link #NAME}, to accept this installation's simulated evidence. */
  public VerifyingKey simulationRoot() {
    return simulationKey.verifyingKey();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public AttestationEvidence attest(byte[] reportData) {
    if (reportData == null || reportData.length != AttestationEvidence.REPORT_DATA_BYTES) {
      throw new MalformedInputException("report data for attestation must be exactly " + AttestationEvidence.REPORT_DATA_BYTES + " bytes");
    }
    Measurement m = codeMeasurement();
    Instant at = Instant.ofEpochMilli(clock.instant().toEpochMilli());
    byte[] quote = simulationKey.sign(SimulatedQuote.statement(m, reportData, at)).bytes();
    return new AttestationEvidence(NAME, true, m, reportData, at, quote);
  }

  /**
   * The measurement of the whole image this worker runs in: every class-path jar and directory and the JVM (see
   * {@link EnclaveImage}). Computed once per process.
   */
  public static Measurement codeMeasurement() {
    return EnclaveImage.current().total();
  }

  @Override
  public String toString() {
    return "SimulatedAttestationProvider[SIMULATED, root " + simulationRoot().shortForm() + "]";
  }
}
