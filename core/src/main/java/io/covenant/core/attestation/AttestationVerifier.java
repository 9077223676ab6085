package io.covenant.core.attestation;

import io.covenant.core.attestation.SnpAttestationException;
import io.covenant.core.attestation.SnpCertificates;
import io.covenant.core.attestation.SnpReport;
import io.covenant.core.attestation.SnpVerifier;
import io.covenant.core.attestation.TdxAttestationException;
import io.covenant.core.attestation.TdxQuote;
import io.covenant.core.attestation.TdxVerifier;
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
 * <p>AMD SEV-SNP reports ({@code configfs-tsm/sev_guest}) are verified by core's {@link SnpVerifier} when this
 * verifier was given one with a source of VCEK certificates: VCEK chain to the pinned ARK, report signature, TCB and chip
 * binding, guest policy, measurement allow-list and report data. The evidence's measurement and report data must be the
 * report's own. Intel TDX quotes ({@code configfs-tsm/tdx_guest}) are verified by core's {@link TdxVerifier} when
 * this verifier was given one: PCK chain to the pinned Intel SGX Root CA, QE report and its binding, quote signature,
 * TD attributes, TCB, MRTD/RTMRs and report data; the evidence's measurement must be the quote's MRTD. Hardware
 * evidence without the matching verifier is refused with an explanation. The issue time of hardware evidence is not signed by the hardware;
 * freshness rests on the report data, which binds the request (job, dataset and enclave key).
 *
 * <p>Two freshness rules. {@link #verify} also compares the evidence's issue time with this verifier's clock (at most
 * {@code maxAge} old, at most {@link #CLOCK_SKEW} ahead): the issue time is the attester's word (hardware does not sign
 * it; the simulation signs what the worker's clock said), so a worker with a wrong clock could shorten or stretch that
 * window. {@link #verifyNonceBound} leaves both clocks out: the report data carries a nonce derived from the ledger
 * (RFC 9334 section 10.2, nonce-based freshness; see {@code io.covenant.core.keyrelease.AuthorisationEntry}) and the
 * caller judges its age on the ledger. Certificates (VCEK, PCK, collateral) are still judged at this verifier's clock:
 * that is whether a key was valid, not whether evidence is fresh.
 */
public final class AttestationVerifier {
  /** How far ahead of our clock evidence may be dated before we call the clocks broken rather than skewed. */
  public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  private final Map<String, VerifyingKey> trustedRoots;
  private final Duration maxAge;
  private final Clock clock;
  private final SnpVerifier snp;
  private final SnpCertificates snpCertificates;
  private final TdxVerifier tdx;

  public AttestationVerifier(Map<String, VerifyingKey> trustedRoots, Duration maxAge, Clock clock) {
    this(trustedRoots, maxAge, clock, null, null);
  }

  /** A verifier that also accepts AMD SEV-SNP evidence checked by {@code snp}, with VCEKs from {@code snpCertificates}. */
  public AttestationVerifier(Map<String, VerifyingKey> trustedRoots, Duration maxAge, Clock clock, SnpVerifier snp, SnpCertificates snpCertificates) {
    this(trustedRoots, maxAge, clock, snp, snpCertificates, null);
  }

  /**
   * A verifier that also accepts AMD SEV-SNP evidence checked by {@code snp} (may be null) and Intel TDX evidence
   * checked by {@code tdx} (may be null).
   */
  public AttestationVerifier(Map<String, VerifyingKey> trustedRoots, Duration maxAge, Clock clock, SnpVerifier snp, SnpCertificates snpCertificates,
      TdxVerifier tdx) {
    this.tdx = tdx;
    if ((snp == null) != (snpCertificates == null)) {
      throw new MalformedInputException("an SEV-SNP verifier needs a source of VCEK certificates, and the other way round");
    }
    this.snp = snp;
    this.snpCertificates = snpCertificates;
    if (trustedRoots == null || maxAge == null || clock == null) {
      throw new MalformedInputException("an attestation verifier needs its trusted roots, a maximum evidence age and a clock");
    }
    if (maxAge.isNegative() || maxAge.isZero()) throw new MalformedInputException("the maximum evidence age must be positive, got " + maxAge);
    this.trustedRoots = Map.copyOf(trustedRoots);
    this.maxAge = maxAge;
    this.clock = clock;
  }

  public VerifiedAttestation verify(AttestationEvidence e, byte[] expectedReportData) {
    return verify(e, expectedReportData, true);
  }

  /**
   * As {@link #verify}, but without judging the evidence's issue time by any clock: {@code expectedReportData} carries
   * a ledger-derived nonce, whose age the caller measures on the ledger. The issue time stays in the evidence (and in
   * its hash on the ledger) but decides nothing, so a worker whose clock is wrong neither extends nor shortens how long
   * its evidence is accepted.
   */
  public VerifiedAttestation verifyNonceBound(AttestationEvidence e, byte[] expectedReportData) {
    return verify(e, expectedReportData, false);
  }

  private VerifiedAttestation verify(AttestationEvidence e, byte[] expectedReportData, boolean byClock) {
    if (e == null) throw new MalformedInputException("there is no attestation evidence to verify");
    if (expectedReportData == null || expectedReportData.length != AttestationEvidence.REPORT_DATA_BYTES) {
      throw new MalformedInputException("the expected report data must be " + AttestationEvidence.REPORT_DATA_BYTES + " bytes");
    }
    String what = "attestation evidence from provider '" + e.provider() + "' (measurement " + e.measurement().shortForm() + ")";
    boolean simulation = e.simulated() || e.provider().equals(AttestationEvidence.SIMULATED_PROVIDER);

    if (e.provider().equals(AttestationEvidence.CONFIGFS_TSM_PREFIX + "/sev_guest") && snp != null) {
      verifySnp(e, expectedReportData, what);
      if (byClock) checkFreshness(e, what);
      return new VerifiedAttestation(e.measurement(), false, e.provider(), e);
    }
    if (e.provider().equals(AttestationEvidence.CONFIGFS_TSM_PREFIX + "/tdx_guest") && tdx != null) {
      verifyTdx(e, expectedReportData, what);
      if (byClock) checkFreshness(e, what);
      return new VerifiedAttestation(e.measurement(), false, e.provider(), e);
    }
    if (e.provider().startsWith(AttestationEvidence.CONFIGFS_TSM_PREFIX)) {
      throw new AttestationException(what + " is a hardware quote this verifier cannot check: AMD SEV-SNP reports need an SNP "
          + "verifier with a pinned ARK and VCEK certificates, and Intel TDX quotes a TDX verifier with the pinned Intel SGX Root CA; "
          + "configure the one for this platform");
    }
    VerifyingKey root = trustedRoots.get(e.provider());
    if (root == null) {
      if (simulation) {
        throw new AttestationException(what + " is SIMULATED and this verifier does not trust simulation: simulated enclaves give no "
            + "hardware protection; trust the installation's simulation key only where the data owners accept that");
      }
      throw new AttestationException(what + " cannot be checked: no trusted root is configured for that provider");
    }
    if (e.provider().equals(AttestationEvidence.SIMULATED_PROVIDER) && !e.simulated()) {
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
    if (byClock) checkFreshness(e, what);
    return new VerifiedAttestation(e.measurement(), simulation, e.provider(), e);
  }

  private void verifySnp(AttestationEvidence e, byte[] expectedReportData, String what) {
    try {
      SnpReport parsed = new SnpReport(e.quote());
      SnpCertificates.Chain chain = snpCertificates.forChip(parsed.chipId(), parsed.reportedTcb());
      SnpReport report = snp.verify(e.quote(), chain.vcek(), chain.ask(), expectedReportData);
      if (!report.measurementHex().equals(e.measurement().hex()) || !MessageDigest.isEqual(report.reportData(), e.reportData())) {
        throw new AttestationException(what + " states a measurement or report data other than its SEV-SNP report's: the evidence was altered");
      }
    } catch (SnpAttestationException x) {
      throw new AttestationException(what + " is refused: " + x.getMessage(), x);
    }
  }

  private void verifyTdx(AttestationEvidence e, byte[] expectedReportData, String what) {
    try {
      TdxQuote quote = tdx.verify(e.quote(), expectedReportData);
      if (!quote.mrTdHex().equals(e.measurement().hex()) || !MessageDigest.isEqual(quote.reportData(), e.reportData())) {
        throw new AttestationException(what + " states a measurement or report data other than its TDX quote's MRTD and REPORT_DATA: the evidence was altered");
      }
    } catch (TdxAttestationException x) {
      throw new AttestationException(what + " is refused: " + x.getMessage(), x);
    }
  }

  private void checkFreshness(AttestationEvidence e, String what) {
    Instant now = clock.instant();
    if (e.issuedAt().isAfter(now.plus(CLOCK_SKEW))) {
      throw new AttestationException(what + " is dated " + e.issuedAt() + ", more than " + CLOCK_SKEW.toSeconds()
          + " s in the future of this verifier's clock (" + now + "): check the clocks of both machines");
    }
    if (Duration.between(e.issuedAt(), now).compareTo(maxAge) > 0) {
      throw new AttestationException(what + " was issued at " + e.issuedAt() + ", longer ago than the " + maxAge.toSeconds()
          + " s this verifier accepts: ask the enclave for fresh evidence");
    }
  }
}
