package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Measurement;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Scenario;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An operator that ran a job on a simulated enclave (its owners' key services recorded simulated evidence) writes
 * COMPUTATION_STARTED or RESULT_COMMITTED claiming hardware, so that a reader of the trail believes the data was
 * protected by a TEE. Each such lie, whether it comes before or after the simulated evidence, fails verification at
 * the lying entry; the honest trail, labelled simulated throughout, verifies.
 */
class HardwareClaimAfterSimulatedEvidenceFailsVerification {
  private final Scenario s = new Scenario();
  private final JobId j = new JobId("job-00000000000000bb");

  private AuditEvent.ComputationStarted started(boolean simulated) {
    return new AuditEvent.ComputationStarted(j, Engine.TEE, Optional.of(s.enclave), simulated);
  }

  private SignedEvent result(boolean simulated) {
    return s.sign(s.operator, new AuditEvent.ResultCommitted(j, Digest.sha256("r".getBytes(StandardCharsets.UTF_8)), Engine.TEE,
        Optional.of(s.enclave), simulated, List.of(s.manifestA, s.manifestB), 3, 0));
  }

  /** Both owners verify simulated evidence and release their keys to the simulated enclave. */
  private List<SignedEvent> keysToASimulatedEnclave() {
    return List.of(s.attested(s.hospitalA, j, s.enclave), s.attested(s.hospitalB, j, s.enclave),
        s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave), s.keyReleased(s.hospitalB, j, s.claimsB, s.enclave));
  }

  private List<SignedEvent> history(List<SignedEvent> tail) {
    List<SignedEvent> all = new ArrayList<>(s.setup());
    all.add(s.submitted(j, Engine.TEE));
    all.add(s.authorized(j));
    all.addAll(tail);
    return all;
  }

  private static VerificationReport verify(List<SignedEvent> events) {
    return LedgerVerifier.verify(Scenario.export(Scenario.chain(events), SigningKey.generate()));
  }

  /** The last event of {@code tail} is the lie: the history verifies without it and fails at it, saying {@code why}. */
  private void failsAtTheLastEntry(List<SignedEvent> tail, String why) {
    List<SignedEvent> events = history(tail);
    int lie = events.size() - 1;
    assertTrue(verify(events.subList(0, lie)).ok(), "without the lie the history is lawful: " + verify(events.subList(0, lie)));
    VerificationReport.Failure f = verify(events).failure().orElseThrow(() -> new AssertionError("the lie was accepted"));
    assertEquals(lie, f.index(), f.reason());
    assertTrue(f.reason().contains(why), "'" + f.reason() + "' should say " + why);
  }

  @Test
  void theHonestTrailIsLabelledSimulatedThroughoutAndVerifies() {
    List<SignedEvent> tail = new ArrayList<>(keysToASimulatedEnclave());
    tail.add(s.sign(s.operator, started(true)));
    tail.add(result(true));
    VerificationReport r = verify(history(tail));
    assertTrue(r.ok(), r.toString());
  }

  @Test
  void startClaimingHardwareAfterSimulatedEvidence() {
    List<SignedEvent> tail = new ArrayList<>(keysToASimulatedEnclave());
    tail.add(s.sign(s.operator, started(false)));
    failsAtTheLastEntry(tail, "recorded simulated evidence for it");
  }

  @Test
  void simulatedEvidenceAfterAStartClaimingHardware() {
    failsAtTheLastEntry(List.of(s.sign(s.operator, started(false)), s.attested(s.hospitalA, j, s.enclave)),
        "said job " + j + " runs in an enclave that is not simulated");
  }

  @Test
  void resultClaimingHardwareAfterAStartThatSaidSimulated() {
    // Evidence from a hardware enclave of the same measurement for both keys, yet the start said simulated.
    Measurement m = s.enclave;
    List<SignedEvent> tail = List.of(
        s.sign(s.operator, started(true)),
        s.sign(s.hospitalA, new AuditEvent.AttestationVerified(j, m, "sev-snp", false, Digest.sha256(new byte[1]))),
        s.sign(s.hospitalB, new AuditEvent.AttestationVerified(j, m, "sev-snp", false, Digest.sha256(new byte[2]))),
        s.sign(s.hospitalA, new AuditEvent.KeyReleased(j, s.claimsA, m, false, Digest.sha256(new byte[3]))),
        s.sign(s.hospitalB, new AuditEvent.KeyReleased(j, s.claimsB, m, false, Digest.sha256(new byte[4]))),
        result(false));
    failsAtTheLastEntry(tail, "said job " + j + " runs in a simulated enclave");
  }

  @Test
  void resultClaimingHardwareAfterSimulatedEvidence() {
    List<SignedEvent> tail = new ArrayList<>(keysToASimulatedEnclave());
    tail.add(s.sign(s.operator, started(true)));
    tail.add(result(false));
    failsAtTheLastEntry(tail, "not simulated");
  }
}
