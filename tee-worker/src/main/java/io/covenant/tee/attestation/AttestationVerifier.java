package io.covenant.tee.attestation;

import io.covenant.core.crypto.Signature;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Decides whether attestation evidence proves what it claims, for a given request. It checks, in order: that the
 * provider is one this verifier was told to trust (simulation included only when its root is listed explicitly);
 * that simulated evidence admits being simulated; that the quote is the trusted root's signature over measurement,
 * report data and issue time; that the report data is the one this request expects; and that the evidence is fresh.
 *
 * <p>Hardware quotes (SEV-SNP reports signed by the AMD VCEK chain, TDX quotes signed through Intel's PCK chain) are
 * refused with an explanation: verifying those chains is not part of this build.
 */
public final class AttestationVerifier {
  /** How far ahead of our clock evidence may be dated before we call the clocks broken rather than skewed. */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final Map<String, VerifyingKey> trustedRoots;
  private final Duration maxAge;
  private final Clock clock;

  public AttestationVerifier(Map<String, VerifyingKey> trustedRoots, Duration maxAge, Clock clock) {
    if (trustedRoots == null || maxAge == null || clock == null) {
      throw new MalformedInputException("an attestation verifier needs its trusted roots, a maximum evidence age and a clock");
    }
    if (maxAge.isNegative() || maxAge.isZero()) throw new MalformedInputException("the maximum evidence age must be positive, got " + maxAge);
    this.trustedRoots = Map.copyOf(trustedRoots);
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public VerifiedAttestation verify(AttestationEvidence e, byte[] expectedReportData) {
    if (e == null) throw new MalformedInputException("there is no attestation evidence to verify");
    if (expectedReportData == null || expectedReportData.length != AttestationEvidence.REPORT_DATA_BYTES) {
      throw new MalformedInputException("the expected report data must be " + AttestationEvidence.REPORT_DATA_BYTES + " bytes");
    }
    String what = "attestation evidence from provider '" + e.provider() + "' (measurement " + e.measurement().shortForm() + ")";
    boolean simulation = e.simulated() || e.provider().equals(SimulatedAttestationProvider.NAME);

    if (e.provider().startsWith(ConfigfsTsmProvider.NAME_PREFIX)) {
      throw new AttestationException(what + " is a hardware quote; verifying AMD SEV-SNP (VCEK chain) and Intel TDX (PCK chain) "
          + "quotes is not implemented in this build, so it cannot be trusted here");
    }
    VerifyingKey root = trustedRoots.get(e.provider());
    if (root == null) {
      if (simulation) {
        throw new AttestationException(what + " is SIMULATED and this verifier does not trust simulation: simulated enclaves give no "
            + "hardware protection; trust the installation's simulation key only where the data owners accept that");
      }
      throw new AttestationException(what + " cannot be checked: no trusted root is configured for that provider");
    }
    if (e.provider().equals(SimulatedAttestationProvider.NAME) && !e.simulated()) {
      throw new AttestationException(what + " claims not to be simulated although the simulation provider produced it: the evidence was altered");
    }
    byte[] quote = e.quote();
    if (quote.length != 64
        || !root.verify(SimulatedQuote.statement(e.measurement(), e.reportData(), e.issuedAt()), Signature.of(quote))) {
      throw new AttestationException(what + " has a quote that does not verify under the trusted root: the measurement, report data or "
          + "issue time were altered, or another key signed it");
    }
    if (!MessageDigest.isEqual(e.reportData(), expectedReportData)) {
      throw new AttestationException(what + " is bound to different report data than this request expects: it was produced for "
          + "another job, dataset or enclave key, or it is being replayed");
    }
    Instant now = clock.instant();
    if (e.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
      throw new AttestationException(what + " is dated " + e.issuedAt() + ", more than " + CLOCK_SKEW.toSeconds()
          + " s in the future of this verifier's clock (" + now + "): check the clocks of both machines");
    }
    if (Duration.between(e.issuedAt(), now).compareTo(maxAge) > 0) {
      throw new AttestationException(what + " was issued at " + e.issuedAt() + ", longer ago than the " + maxAge.toSeconds()
          + " s this verifier accepts: ask the enclave for fresh evidence");
    }
    return new VerifiedAttestation(e.measurement(), simulation, e.provider(), e.hash());
  }
}
