package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.ring.FixedPoint;
import io.covenant.mpc.transport.InProcessLinks;
import io.covenant.mpc.transport.PeerLinkException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed ids and features, and parties started for different jobs: a clear error, and nothing sent to the peer. */
class BadInputIsRefusedBeforeAnythingIsSent {
  static final PsiJob JOB = new PsiJob("job-bad", PsiProtocol.ECDH_P256, IdRule.CASE_SENSITIVE, Delivery.BOTH, 1);

  /** Runs {@code body} on one end of a link and checks that the other end received nothing. */
  static <T extends RuntimeException> T refusedSilently(Class<T> type, java.util.function.Function<io.covenant.mpc.transport.PeerLink, Object> body) {
    InProcessLinks.Pair pair = InProcessLinks.pair(TwoParties.INSURER, TwoParties.HOSPITAL, Duration.ofMillis(200));
    T e = assertThrows(type, () -> body.apply(pair.first()));
    var silence = assertThrows(PeerLinkException.class, () -> pair.second().receive());
    assertEquals(PeerLinkException.Reason.SILENT, silence.reason(), "a frame was sent before the input was refused");
    return e;
  }

  @Test
  void anEmptyIdNamesItsRow() {
    var e = refusedSilently(MalformedIdException.class, l -> PsiParty.intersect(JOB, PsiRole.RECEIVER, IdSource.of(List.of("a", "b", "   ")), l));
    assertEquals(2, e.row());
    assertTrue(e.getMessage().startsWith("the id at row 2 is empty"), e.getMessage());
  }

  @Test
  void aControlCharacterOrBrokenUnicodeNamesItsRowNotItsValue() {
    var e = refusedSilently(MalformedIdException.class, l -> PsiParty.intersect(JOB, PsiRole.SENDER, IdSource.of(List.of("secret\u0000id")), l));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    assertTrue(e.getMessage().contains("control character"), e.getMessage());
    var u = refusedSilently(MalformedIdException.class, l -> PsiParty.intersect(JOB, PsiRole.SENDER, IdSource.of(List.of("ok", "a\ud800")), l));
    assertEquals(1, u.row());
  }

  @Test
  void anOverlongIdIsRefused() {
    var e = refusedSilently(MalformedIdException.class, l -> PsiParty.intersect(JOB, PsiRole.SENDER, IdSource.of(List.of("x".repeat(1025))), l));
    assertTrue(e.getMessage().contains("longer than 1024 bytes"), e.getMessage());
  }

  @Test
  void payloadModeRefusesRepeatedIdsAndNonFiniteFeatures() {
    FeatureColumns f = new FeatureColumns(List.of("age"), new double[][] {{40, 50, 60}});
    var dup = refusedSilently(MalformedIdException.class,
        l -> PsiParty.intersectWithPayload(JOB, PsiRole.SENDER, IdSource.of(List.of("a", "b", "a ")), f, FixedPoint.DEFAULT, l));
    assertEquals(2, dup.row()); // "a " is "a" once stripped
    FeatureColumns nan = new FeatureColumns(List.of("age"), new double[][] {{40, Double.NaN, 60}});
    refusedSilently(MalformedInputException.class,
        l -> PsiParty.intersectWithPayload(JOB, PsiRole.SENDER, IdSource.of(List.of("a", "b", "c")), nan, FixedPoint.DEFAULT, l));
    FeatureColumns shortColumn = new FeatureColumns(List.of("age"), new double[][] {{40, 50}});
    refusedSilently(MalformedInputException.class,
        l -> PsiParty.intersectWithPayload(JOB, PsiRole.SENDER, IdSource.of(List.of("a", "b", "c")), shortColumn, FixedPoint.DEFAULT, l));
    PsiJob receiverOnly = new PsiJob("job-bad", PsiProtocol.ECDH_P256, IdRule.CASE_SENSITIVE, Delivery.RECEIVER_ONLY, 1);
    refusedSilently(MalformedInputException.class,
        l -> PsiParty.intersectWithPayload(receiverOnly, PsiRole.SENDER, IdSource.of(List.of("a", "b", "c")), f, FixedPoint.DEFAULT, l));
  }

  @Test
  void partiesStartedForDifferentJobsOrTheSameRoleStop() {
    PsiJob other = new PsiJob("job-other", PsiProtocol.ECDH_P256, IdRule.CASE_SENSITIVE, Delivery.BOTH, 1);
    var e = assertThrows(PsiMismatchException.class, () -> TwoParties.run(Duration.ofSeconds(5),
        l -> PsiParty.intersect(JOB, PsiRole.RECEIVER, IdSource.of(List.of("a")), l),
        l -> PsiParty.intersect(other, PsiRole.SENDER, IdSource.of(List.of("a")), l)));
    assertTrue(e.getMessage().contains("another PSI job"), e.getMessage());
    var roles = assertThrows(PsiMismatchException.class, () -> TwoParties.run(Duration.ofSeconds(5),
        l -> PsiParty.intersect(JOB, PsiRole.RECEIVER, IdSource.of(List.of("a")), l),
        l -> PsiParty.intersect(JOB, PsiRole.RECEIVER, IdSource.of(List.of("a")), l)));
    assertTrue(roles.getMessage().contains("both act as receiver"), roles.getMessage());
    PsiJob kkrt = new PsiJob("job-bad", PsiProtocol.KKRT16, IdRule.CASE_SENSITIVE, Delivery.BOTH, 1);
    var proto = assertThrows(PsiMismatchException.class, () -> TwoParties.run(Duration.ofSeconds(5),
        l -> PsiParty.intersect(JOB, PsiRole.RECEIVER, IdSource.of(List.of("a")), l),
        l -> PsiParty.intersect(kkrt, PsiRole.SENDER, IdSource.of(List.of("a")), l)));
    assertTrue(proto.getMessage().contains("runs PSI protocol"), proto.getMessage());
  }
}
