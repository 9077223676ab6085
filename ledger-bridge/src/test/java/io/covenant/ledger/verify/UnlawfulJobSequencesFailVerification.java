package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.PolicyBinding;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Scenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each case is a correctly signed, correctly chained history whose LAST event breaks one rule. The verifier must
 * accept the history without it and reject it with it, at that entry, saying why.
 */
class UnlawfulJobSequencesFailVerification {

  private static Arguments unlawful(String rule, String reasonFragment, Function<Scenario, List<SignedEvent>> history) {
    return Arguments.of(rule, reasonFragment, history);
  }

  @SafeVarargs
  private static List<SignedEvent> with(Scenario s, List<SignedEvent>... parts) {
    List<SignedEvent> all = new ArrayList<>(s.setup());
    for (List<SignedEvent> p : parts) all.addAll(p);
    return all;
  }

  /** A TEE job up to and including both key releases. */
  private static List<SignedEvent> keysReleased(Scenario s, JobId j) {
    return List.of(
        s.submitted(j, Engine.TEE), s.authorized(j), s.attested(s.hospitalA, j, s.enclave), s.attested(s.hospitalB, j, s.enclave),
        s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave), s.keyReleased(s.hospitalB, j, s.claimsB, s.enclave));
  }

  static Stream<Arguments> cases() {
    JobId j = new JobId("job-00000000000000aa");
    return Stream.of(
        // Who may say what
        unlawful("an organisation registers twice", "already registered at entry 0",
            s -> with(s, List.of(s.register(OrgCredentials.generate(s.hospitalA.org()))))),
        unlawful("an unregistered actor", "has no ORG_REGISTERED earlier",
            s -> with(s, List.of(signedBy(OrgCredentials.generate(OrgId.of("stranger")), new AuditEvent.JobDenied(j, List.of("x")))))),
        unlawful("a registration not signed by the key it registers", "not signed by the key it registers",
            s -> {
              OrgCredentials c = OrgCredentials.generate(OrgId.of("hospital-c"));
              return with(s, List.of(SignedEvent.sign(c.registration("C", "data-owner"), c.org(), s.operator.signingKey(), Instant.now())));
            }),
        unlawful("a second organisation registers as operator", "already is (entry",
            s -> {
              OrgCredentials rogue = OrgCredentials.generate(OrgId.of("rogue-operator"));
              return with(s, List.of(s.sign(rogue, rogue.registration("Rogue", AuditEvent.OrgRegistered.OPERATOR))));
            }),
        unlawful("a consumer authorises its own job", "not the log's registered operator",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.sign(s.insurer, new AuditEvent.JobAuthorized(j,
                List.of(new AuditEvent.PolicyBinding(s.claimsA, s.policyA), new AuditEvent.PolicyBinding(s.claimsB, s.policyB))))))),
        unlawful("an owner commits a result", "not the log's registered operator",
            s -> with(s, keysReleased(s, j), List.of(s.sign(s.hospitalA, new AuditEvent.ResultCommitted(j, Digest.sha256(new byte[3]),
                Engine.TEE, java.util.Optional.of(s.enclave), true, List.of(s.manifestA, s.manifestB), 1, 0))))),
        unlawful("a dataset published by someone else", "only its owner hospital-a may publish it",
            s -> with(s, List.of(s.sign(s.hospitalB, new AuditEvent.DatasetPublished(DatasetVersion.parse("hospital-a/claims@2"), s.manifestB, 1, 1, Digest.sha256(new byte[1])))))),
        unlawful("a dataset version published twice", "already published",
            s -> with(s, List.of(s.sign(s.hospitalA, new AuditEvent.DatasetPublished(s.claimsA, s.manifestB, 1, 1, Digest.sha256(new byte[1])))))),
        unlawful("a policy published by someone else", "only its owner hospital-a may publish one",
            s -> with(s, List.of(s.sign(s.hospitalB, new AuditEvent.PolicyPublished(s.claimsA.dataset(), "mine", s.policyB))))),
        unlawful("a revocation of a policy never published", "never published",
            s -> with(s, List.of(s.sign(s.hospitalA, new AuditEvent.PolicyRevoked(s.claimsA.dataset(), "x", s.policyB, "oops"))))),
        // Submission
        unlawful("a job submitted twice", "already submitted at entry 8", s -> with(s, List.of(s.submitted(j, Engine.TEE), s.submitted(j, Engine.TEE)))),
        unlawful("a job submitted for another consumer", "a consumer submits its own jobs",
            s -> with(s, List.of(s.sign(s.operator, new AuditEvent.JobSubmitted(j, s.insurer.org(), List.of(s.claimsA), Engine.TEE, new Purpose("research"), Digest.sha256(new byte[1])))))),
        unlawful("a job on a dataset never published", "hospital-a/claims@2, which has no DATASET_PUBLISHED",
            s -> with(s, List.of(s.sign(s.insurer, new AuditEvent.JobSubmitted(j, s.insurer.org(), List.of(DatasetVersion.parse("hospital-a/claims@2")), Engine.TEE, new Purpose("research"), Digest.sha256(new byte[1])))))),
        unlawful("an event for a job never submitted", "never submitted", s -> with(s, List.of(s.authorized(j)))),
        // Decision
        unlawful("authorized and then denied", "already decided (JOB_AUTHORIZED at entry 9)",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.sign(s.operator, new AuditEvent.JobDenied(j, List.of("late")))))),
        unlawful("authorized under a revoked policy", "which was revoked at entry 8",
            s -> with(s, List.of(s.sign(s.hospitalA, new AuditEvent.PolicyRevoked(s.claimsA.dataset(), "claims-stats", s.policyA, "superseded")), s.submitted(j, Engine.TEE), s.authorized(j)))),
        unlawful("authorized under a policy never published", "which was never published for hospital-a/claims",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.sign(s.operator, new AuditEvent.JobAuthorized(j, List.of(
                new PolicyBinding(s.claimsA, Digest.sha256(new byte[] {9})), new PolicyBinding(s.claimsB, s.policyB))))))),
        unlawful("authorized leaving a dataset unbound", "does not bind dataset hospital-b/claims@1",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.sign(s.operator, new AuditEvent.JobAuthorized(j, List.of(new PolicyBinding(s.claimsA, s.policyA))))))),
        unlawful("authorized binding a dataset outside the job", "which job job-00000000000000aa did not submit",
            s -> with(s, List.of(s.sign(s.insurer, new AuditEvent.JobSubmitted(j, s.insurer.org(), List.of(s.claimsA), Engine.TEE, new Purpose("research"), Digest.sha256(new byte[1]))),
                s.authorized(j)))),
        unlawful("an approval by someone other than the owner", "only its owner hospital-a may approve",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.sign(s.hospitalB, new AuditEvent.ApprovalGiven(j, s.claimsA.dataset(), true, "sure"))))),
        // Keys and attestation
        unlawful("a key released before authorization", "has not been authorized",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave)))),
        unlawful("a key released after denial", "was denied at entry 9",
            s -> with(s, s.deniedJob(j), List.of(s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave)))),
        unlawful("an attestation after denial", "was denied at entry 9",
            s -> with(s, s.deniedJob(j), List.of(s.attested(s.hospitalA, j, s.enclave)))),
        unlawful("a key released by someone other than the owner", "only its owner hospital-a may release it",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.attested(s.hospitalB, j, s.enclave), s.keyReleased(s.hospitalB, j, s.claimsA, s.enclave)))),
        unlawful("a key released without any attestation", "no ATTESTATION_VERIFIED by hospital-a",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave)))),
        unlawful("a key released to another measurement than attested", "no ATTESTATION_VERIFIED by hospital-a of measurement cdcdcdcdcdcd",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.attested(s.hospitalA, j, s.enclave), s.keyReleased(s.hospitalA, j, s.claimsA, s.otherEnclave)))),
        unlawful("a key released on another owner's attestation", "no ATTESTATION_VERIFIED by hospital-a",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.attested(s.hospitalB, j, s.enclave), s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave)))),
        unlawful("a key release that hides a simulated attestation", "no ATTESTATION_VERIFIED by hospital-a",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.attested(s.hospitalA, j, s.enclave),
                s.sign(s.hospitalA, new AuditEvent.KeyReleased(j, s.claimsA, s.enclave, false, Digest.sha256(new byte[1])))))),
        unlawful("a key for a dataset the job does not use", "which job job-00000000000000aa does not use",
            s -> with(s, List.of(s.sign(s.insurer, new AuditEvent.JobSubmitted(j, s.insurer.org(), List.of(s.claimsB), Engine.TEE, new Purpose("research"), Digest.sha256(new byte[1]))),
                s.sign(s.operator, new AuditEvent.JobAuthorized(j, List.of(new PolicyBinding(s.claimsB, s.policyB)))),
                s.attested(s.hospitalA, j, s.enclave), s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave)))),
        // Computation and result
        unlawful("a computation started on another engine", "submitted for engine tee but started on mpc",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.sign(s.operator, new AuditEvent.ComputationStarted(j, Engine.MPC, Optional.empty()))))),
        unlawful("a result from another measurement than the keys went to", "released to measurement abababababab",
            s -> with(s, keysReleased(s, j), List.of(s.result(j, Engine.TEE, Optional.of(s.otherEnclave), List.of(s.manifestA, s.manifestB))))),
        unlawful("a tee result without a measurement", "must name the measurement",
            s -> with(s, keysReleased(s, j), List.of(s.result(j, Engine.TEE, Optional.empty(), List.of(s.manifestA, s.manifestB))))),
        unlawful("a result over other inputs than the job's datasets", "are not the manifests of job job-00000000000000aa's datasets",
            s -> with(s, keysReleased(s, j), List.of(s.result(j, Engine.TEE, Optional.of(s.enclave), List.of(s.manifestA))))),
        unlawful("a tee result though a dataset's key was never released", "no KEY_RELEASED for dataset hospital-b/claims@1",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.attested(s.hospitalA, j, s.enclave), s.keyReleased(s.hospitalA, j, s.claimsA, s.enclave),
                s.result(j, Engine.TEE, Optional.of(s.enclave), List.of(s.manifestA, s.manifestB))))),
        unlawful("a result that hides a simulated enclave", "keys were released to a simulated enclave",
            s -> with(s, keysReleased(s, j), List.of(s.sign(s.operator, new AuditEvent.ResultCommitted(
                j, Digest.sha256(new byte[1]), Engine.TEE, Optional.of(s.enclave), false, List.of(s.manifestA, s.manifestB), 1, 0))))),
        unlawful("a result on another engine", "its result claims mpc",
            s -> with(s, keysReleased(s, j), List.of(s.result(j, Engine.MPC, Optional.empty(), List.of(s.manifestA, s.manifestB))))),
        unlawful("a result before authorization", "has not been authorized",
            s -> with(s, List.of(s.submitted(j, Engine.MPC), s.result(j, Engine.MPC, Optional.empty(), List.of(s.manifestA, s.manifestB))))),
        unlawful("an mpc result with an input nobody shared", "no INPUT_SHARED by hospital-b",
            s -> with(s, List.of(s.submitted(j, Engine.MPC), s.authorized(j), s.inputShared(s.hospitalA, j, s.claimsA),
                s.result(j, Engine.MPC, Optional.empty(), List.of(s.manifestA, s.manifestB))))),
        unlawful("an input shared by someone other than its owner", "only its owner hospital-a holds its key",
            s -> with(s, List.of(s.submitted(j, Engine.MPC), s.authorized(j), s.inputShared(s.hospitalB, j, s.claimsA)))),
        unlawful("an input shared into a tee job", "not mpc",
            s -> with(s, List.of(s.submitted(j, Engine.TEE), s.authorized(j), s.inputShared(s.hospitalA, j, s.claimsA)))),
        unlawful("an input shared twice", "twice",
            s -> with(s, List.of(s.submitted(j, Engine.MPC), s.authorized(j), s.inputShared(s.hospitalA, j, s.claimsA), s.inputShared(s.hospitalA, j, s.claimsA)))),
        unlawful("an input shared before the job was authorised", "has not been authorized",
            s -> with(s, List.of(s.submitted(j, Engine.MPC), s.inputShared(s.hospitalA, j, s.claimsA)))),
        unlawful("a second result", "already ended with RESULT_COMMITTED at entry 13",
            s -> with(s, s.mpcJob(j), List.of(s.result(j, Engine.MPC, Optional.empty(), List.of(s.manifestA, s.manifestB))))),
        unlawful("a computation after the result", "only USAGE_SETTLED may follow",
            s -> with(s, s.mpcJob(j), List.of(s.sign(s.operator, new AuditEvent.ComputationStarted(j, Engine.MPC, Optional.empty()))))),
        unlawful("a key released after the job failed", "already ended with JOB_FAILED at entry 10",
            s -> with(s, s.failedJob(j), List.of(s.attested(s.hospitalA, j, s.enclave)))),
        unlawful("usage settled without a result", "has no RESULT_COMMITTED",
            s -> with(s, s.failedJob(j), List.of(s.sign(s.operator, new AuditEvent.UsageSettled(j, s.claimsA.dataset(), s.hospitalA.org(), 1))))),
        unlawful("usage settled for a dataset the job did not use", "which job job-00000000000000aa did not use",
            s -> with(s, s.mpcJob(j), List.of(s.sign(s.operator, new AuditEvent.UsageSettled(j, io.covenant.core.id.DatasetId.parse("hospital-a/other"), s.hospitalA.org(), 1))))));
  }

  private static SignedEvent signedBy(OrgCredentials c, AuditEvent e) {
    return SignedEvent.sign(e, c.org(), c.signingKey(), Instant.now());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRejectedAtTheOffendingEntry(String rule, String reasonFragment, Function<Scenario, List<SignedEvent>> build) {
    Scenario s = new Scenario();
    SigningKey logKey = SigningKey.generate();
    List<SignedEvent> events = build.apply(s);
    int offending = events.size() - 1;

    VerificationReport lawfulPrefix = LedgerVerifier.verify(Scenario.export(Scenario.chain(events.subList(0, offending)), logKey));
    assertTrue(lawfulPrefix.ok(), "without the offending event the history is lawful: " + lawfulPrefix);

    VerificationReport report = LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey));
    VerificationReport.Failure f = report.failure().orElseThrow(() -> new AssertionError(rule + " was accepted"));
    assertEquals(offending, f.index(), f.reason());
    assertEquals(events.get(offending).event().type().name(), f.eventType());
    assertTrue(f.reason().startsWith("entry " + offending + " (" + f.eventType() + "): "), f.reason());
    assertTrue(f.reason().contains(reasonFragment), "'" + f.reason() + "' should say " + reasonFragment);
  }
}
