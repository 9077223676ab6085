package io.covenant.ledger.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.Digest;
import io.covenant.core.crypto.OrgCredentials;
import io.covenant.core.crypto.SigningKey;
import io.covenant.core.event.AuditEvent;
import io.covenant.core.event.SignedEvent;
import io.covenant.core.id.JobId;
import io.covenant.core.id.OrgId;
import io.covenant.core.job.Engine;
import io.covenant.ledger.Scenario;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FL_ROUND_COMPLETED is checked like every job event: a lawful federated trail (rounds in order, a hospital that dropped
 * named, the final model hash of the last round in RESULT_COMMITTED) verifies, and a forged round is rejected at the
 * entry that forges it, naming why: a hospital that is not on the job, a round signed by a hospital, rounds out of
 * order, a round before the computation started or on another engine's job, a hospital named twice, an empty round,
 * or a result whose model is not the last round's.
 */
class ForgedFederatedRoundFailsVerification {
  private static final JobId J = new JobId("job-00000000000000f1");

  private static Digest hash(String s) {
    return Digest.sha256(s.getBytes(StandardCharsets.UTF_8));
  }

  private static SignedEvent round(Scenario s, OrgCredentials by, int round, List<OrgId> participants, List<OrgId> dropped, List<OrgId> declined) {
    return s.sign(by, new AuditEvent.FlRoundCompleted(J, round, participants, dropped, declined, hash("model " + round), hash("aggregate " + round)));
  }

  private static SignedEvent result(Scenario s, Digest model) {
    return s.sign(s.operator, new AuditEvent.ResultCommitted(J, hash("sealed"), Engine.FL, Optional.empty(), false, List.of(s.manifestA, s.manifestB), 0, 0,
        Optional.of(model)));
  }

  /** Setup, the fl job up to its computation start: the prefix every case builds on. */
  private static List<SignedEvent> started(Scenario s, Engine engine) {
    List<SignedEvent> all = new ArrayList<>(s.setup());
    all.add(s.submitted(J, engine));
    all.add(s.authorized(J));
    all.add(s.sign(s.operator, new AuditEvent.ComputationStarted(J, engine, Optional.empty(), false)));
    return all;
  }

  @SafeVarargs
  private static List<SignedEvent> with(List<SignedEvent> prefix, SignedEvent... more) {
    List<SignedEvent> all = new ArrayList<>(prefix);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void aLawfulFederatedTrailVerifies() {
    Scenario s = new Scenario();
    OrgId a = s.hospitalA.org(), b = s.hospitalB.org();
    List<SignedEvent> events = with(started(s, Engine.FL), round(s, s.operator, 1, List.of(a, b), List.of(), List.of()),
        round(s, s.operator, 2, List.of(a), List.of(b), List.of()), result(s, hash("model 2")));
    VerificationReport report = LedgerVerifier.verify(Scenario.export(Scenario.chain(events), SigningKey.generate()));
    assertTrue(report.ok(), report.toString());
  }

  static Stream<Arguments> forgeries() {
    return Stream.of(
        forged("a round naming a hospital that is not on the job", "which owns none of the job's datasets",
            s -> with(started(s, Engine.FL), round(s, s.operator, 1, List.of(s.hospitalA.org(), s.insurer.org()), List.of(), List.of()))),
        forged("a dropped hospital that is not on the job", "which owns none of the job's datasets",
            s -> with(started(s, Engine.FL), round(s, s.operator, 1, List.of(s.hospitalA.org()), List.of(OrgId.of("hospital-z")), List.of()))),
        forged("a round signed by a hospital", "not the log's registered operator",
            s -> with(started(s, Engine.FL), round(s, s.hospitalA, 1, List.of(s.hospitalA.org(), s.hospitalB.org()), List.of(), List.of()))),
        forged("a round skipped", "follows round 1",
            s -> with(started(s, Engine.FL), round(s, s.operator, 1, List.of(s.hospitalA.org()), List.of(), List.of()),
                round(s, s.operator, 3, List.of(s.hospitalA.org()), List.of(), List.of()))),
        forged("a hospital both summed and dropped", "twice",
            s -> with(started(s, Engine.FL), round(s, s.operator, 1, List.of(s.hospitalA.org()), List.of(s.hospitalA.org()), List.of()))),
        forged("a round of nobody", "names no participant",
            s -> with(started(s, Engine.FL), round(s, s.operator, 1, List.of(), List.of(s.hospitalA.org()), List.of(s.hospitalB.org())))),
        forged("a round on a multi-party job", "not fl",
            s -> with(started(s, Engine.MPC), round(s, s.operator, 1, List.of(s.hospitalA.org()), List.of(), List.of()))),
        forged("a round before the computation started", "before its COMPUTATION_STARTED",
            s -> with(started(s, Engine.FL).subList(0, 10), round(s, s.operator, 1, List.of(s.hospitalA.org()), List.of(), List.of()))),
        forged("a result whose model is not the last round's", "the job's last round (1) produced",
            s -> with(started(s, Engine.FL), round(s, s.operator, 1, List.of(s.hospitalA.org(), s.hospitalB.org()), List.of(), List.of()),
                result(s, hash("another model")))));
  }

  private static Arguments forged(String rule, String reasonFragment, Function<Scenario, List<SignedEvent>> history) {
    return Arguments.of(rule, reasonFragment, history);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void isRejectedAtTheForgedEntry(String rule, String reasonFragment, Function<Scenario, List<SignedEvent>> build) {
    Scenario s = new Scenario();
    SigningKey logKey = SigningKey.generate();
    List<SignedEvent> events = build.apply(s);
    int offending = events.size() - 1;
    VerificationReport lawfulPrefix = LedgerVerifier.verify(Scenario.export(Scenario.chain(events.subList(0, offending)), logKey));
    assertTrue(lawfulPrefix.ok(), "without the forged event the history is lawful: " + lawfulPrefix);
    VerificationReport report = LedgerVerifier.verify(Scenario.export(Scenario.chain(events), logKey));
    VerificationReport.Failure f = report.failure().orElseThrow(() -> new AssertionError(rule + " was accepted"));
    assertEquals(offending, f.index(), f.reason());
    assertTrue(f.reason().contains(reasonFragment), "'" + f.reason() + "' should say " + reasonFragment);
  }
}
