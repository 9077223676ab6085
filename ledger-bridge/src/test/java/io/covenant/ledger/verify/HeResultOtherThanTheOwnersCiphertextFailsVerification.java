package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.AuditEvent.CiphertextRecorded;
import io.covenant.core.event.AuditEvent.CiphertextRecorded.Role;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Scenario;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An he job's trail: the consumer records its encrypted model's hash, the owner its encrypted scores' hash, and the
 * operator's RESULT_COMMITTED must carry exactly the owner's hash. A stored result swapped for other ciphertexts (the
 * operator commits another hash), a result without the owner's record, and a record signed by someone other than the
 * dataset's owner each fail verification at the offending entry; the lawful trail verifies.
 */
class HeResultOtherThanTheOwnersCiphertextFailsVerification {
  private final Scenario s = new Scenario();
  private final JobId job = new JobId("job-00000000000000ee");
  private final Digest model = Digest.sha256("encrypted model".getBytes(StandardCharsets.UTF_8));
  private final Digest scores = Digest.sha256("encrypted scores".getBytes(StandardCharsets.UTF_8));

  private List<SignedEvent> upToStart() {
    List<SignedEvent> all = new ArrayList<>(s.setup());
    all.add(s.sign(s.insurer, new AuditEvent.JobSubmitted(job, s.insurer.org(), List.of(s.claimsA), Engine.HE, new Purpose("risk-model"),
        Digest.sha256(job.value().getBytes(StandardCharsets.UTF_8)))));
    all.add(s.sign(s.operator, new AuditEvent.JobAuthorized(job, List.of(new AuditEvent.PolicyBinding(s.claimsA, s.policyA)))));
    all.add(s.sign(s.operator, new AuditEvent.ComputationStarted(job, Engine.HE, Optional.empty(), false)));
    all.add(s.sign(s.insurer, new CiphertextRecorded(job, Role.MODEL, Optional.empty(), model, 0)));
    return all;
  }

  private SignedEvent result(Digest hash) {
    return s.sign(s.operator, new AuditEvent.ResultCommitted(job, hash, Engine.HE, Optional.empty(), false, List.of(s.manifestA), 1000, 0));
  }

  private SignedEvent ownersScores() {
    return s.sign(s.hospitalA, new CiphertextRecorded(job, Role.SCORES, Optional.of(s.claimsA), scores, 1000));
  }

  @Test
  void theLawfulTrailVerifies() {
    List<SignedEvent> all = upToStart();
    all.add(ownersScores());
    all.add(result(scores));
    VerificationReport report = LedgerVerifier.verify(Scenario.export(Scenario.chain(all), SigningKey.generate()));
    assertTrue(report.ok(), report.toString());
  }

  @Test
  void aResultOtherThanTheOwnersScoresFails() {
    List<SignedEvent> all = upToStart();
    all.add(ownersScores());
    all.add(result(Digest.sha256("other ciphertexts".getBytes(StandardCharsets.UTF_8))));
    assertFailsLast(all, "the stored result is not what the owner computed");
  }

  @Test
  void aResultWithoutTheOwnersRecordFails() {
    List<SignedEvent> all = upToStart();
    all.add(result(scores));
    assertFailsLast(all, "no CIPHERTEXT_RECORDED by hospital-a");
  }

  @Test
  void scoresRecordedByAnotherOrganisationFail() {
    List<SignedEvent> all = upToStart();
    all.add(s.sign(s.hospitalB, new CiphertextRecorded(job, Role.SCORES, Optional.of(s.claimsA), scores, 1000)));
    assertFailsLast(all, "only its owner hospital-a computes on it");
  }

  @Test
  void aModelRecordedByAnyoneButTheConsumerFails() {
    List<SignedEvent> all = upToStart();
    all.removeLast();
    all.add(s.sign(s.hospitalA, new CiphertextRecorded(job, Role.MODEL, Optional.empty(), model, 0)));
    assertFailsLast(all, "only its consumer insurer-x holds that key");
  }

  private static void assertFailsLast(List<SignedEvent> events, String fragment) {
    int offending = events.size() - 1;
    SigningKey logKey = SigningKey.generate();
    assertTrue(LedgerVerifier.verify(Scenario.export(Scenario.chain(events.subList(0, offending)), logKey)).ok(), "the prefix is lawful");
    VerificationReport report = LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey));
    VerificationReport.Failure f = report.failure().orElseThrow(() -> new AssertionError("accepted: " + fragment));
    assertEquals(offending, f.index(), f.reason());
    assertTrue(f.reason().contains(fragment), "'" + f.reason() + "' should say " + fragment);
  }
}
