package io.covenant.tee.attestation;

import io.covenant.core.attestation.AttestationEvidence;
import io.covenant.core.attestation.AttestationVerifier;
import io.covenant.core.attestation.SnpCertificates;
import io.covenant.core.attestation.SnpTestPlatform;
import io.covenant.core.attestation.TdxTestPlatform;
import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.id.DatasetId;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.Measurement;
import io.covenant.core.job.JobRequest;
import io.covenant.core.keyrelease.AuthorisationEntry;
import io.covenant.core.keyrelease.KeyReleaseRequest;
import io.covenant.node.keyrelease.OwnerKeyService;
import io.covenant.policy.Policy;
import io.covenant.tee.fixture.Consortium;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Evidence of the three kinds an owner's node accepts, each produced the way its attester produces it: the simulation
 * provider (with the worker's clock), an AMD SEV-SNP ATTESTATION_REPORT in the ABI's layout signed by a test VCEK
 * under a test ARK and ASK ({@link SnpTestPlatform}), and an Intel TDX DCAP quote v4 signed by a test attestation key
 * under a test PCK chain ({@link TdxTestPlatform}). The hardware evidence's issue time is the worker's clock too: the
 * hardware does not sign one. A verifier trusting all three and a policy allow-listing the kind's measurement come
 * with it.
 */
public final class EvidenceKinds {
  /** Which attester produced the evidence. */
  public enum Kind { SIMULATED, SEV_SNP, TDX }

  private final Consortium consortium;
  private final SnpTestPlatform snp = new SnpTestPlatform();
  private final SnpTestPlatform.Report snpReport = new SnpTestPlatform.Report();
  private final TdxTestPlatform tdx = new TdxTestPlatform();
  private final TdxTestPlatform.Quote tdxQuote = tdx.quote();

  public EvidenceKinds(Consortium consortium) {
    this.consortium = consortium;
  }

  public Measurement measurement(Kind kind) {
    return switch (kind) {
      case SIMULATED -> SimulatedAttestationProvider.codeMeasurement();
      case SEV_SNP -> new Measurement(HexFormat.of().formatHex(snpReport.measurement));
      case TDX -> new Measurement(HexFormat.of().formatHex(tdxQuote.mrTd));
    };
  }

  /** Evidence of {@code kind} carrying {@code reportData}, issued at what {@code workerClock} says. */
  public AttestationEvidence attest(Kind kind, byte[] reportData, Clock workerClock) {
    return switch (kind) {
      case SIMULATED -> SimulatedAttestationProvider.create(consortium.simulationKey, workerClock).attest(reportData);
      case SEV_SNP -> {
        snpReport.reportData = reportData.clone();
        yield new AttestationEvidence(ConfigfsTsmProvider.NAME_PREFIX + "/sev_guest", false, measurement(kind), reportData, workerClock.instant(),
            snp.signed(snpReport));
      }
      case TDX -> {
        tdxQuote.reportData = reportData.clone();
        yield new AttestationEvidence(ConfigfsTsmProvider.NAME_PREFIX + "/tdx_guest", false, measurement(kind), reportData, workerClock.instant(),
            tdxQuote.signed());
      }
    };
  }

  /**
   * What an enclave of {@code kind} in session {@code session} sends for {@code dataset} in {@code job}: evidence
   * bound to the job's authorisation entry {@code anchor} (its nonce in REPORT_DATA), naming that entry.
   */
  public KeyReleaseRequest request(Kind kind, JobRequest job, DatasetVersion dataset, HpkeKeyPair session, AuthorisationEntry anchor, Clock workerClock) {
    byte[] reportData = KeyReleaseRequest.reportData(job.id(), dataset, session.publicKey(), anchor);
    return new KeyReleaseRequest(job.id(), dataset, attest(kind, reportData, workerClock), session.publicKey(), anchor);
  }

  /**
   * The owner's verifier: the installation's simulation key, the pinned test ARK with a VCEK source, and the pinned
   * test Intel root; its own clock is the system's (it judges no evidence's age on the nonce-bound path).
   */
  public AttestationVerifier verifier() {
    SnpCertificates kds = (chip, tcb) -> new SnpCertificates.Chain(snp.vcek, snp.ask);
    return new AttestationVerifier(Map.of(SimulatedAttestationProvider.NAME, consortium.provider.simulationRoot()), Duration.ofMinutes(10),
        Clock.systemUTC(), snp.verifier(snpReport.measurement), kds, tdx.verifier(tdxQuote.mrTd));
  }

  public OwnerKeyService keyService(Consortium.Owner owner) {
    return consortium.keyService(owner, owner.kek, verifier());
  }

  /** Publishes a policy allow-listing {@code kind}'s measurement (simulation allowed only for the simulated kind) with the given freshness window. */
  public Policy publishPolicy(Consortium.Owner owner, DatasetId dataset, Kind kind, long freshnessEntries) {
    Policy usual = consortium.publishPolicy(owner, dataset, kind == Kind.SIMULATED, List.of(measurement(kind)), 5);
    return consortium.publishPolicy(owner, new Policy(usual.id() + "-fresh", usual.dataset(), usual.assignees(), usual.purposes(), usual.engines(),
        new Policy.Tee(usual.tee().allowSimulated(), usual.tee().measurements(), freshnessEntries), usual.validFrom(), usual.validUntil(),
        usual.minCohort(), usual.columns(), usual.defaultColumnRule(), usual.approval(), usual.maxUses(), usual.obligations(), usual.consent(),
        usual.privacy(), usual.release(), usual.training(), usual.matching(), usual.he()));
  }
}
