package io.covenant.mpc.protocol;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.mpc.model.SgdSchedule;
import io.covenant.mpc.model.VerticalLogisticRegression;
import io.covenant.mpc.sharing.ShareVector;
import io.covenant.mpc.transport.Party;
import org.junit.jupiter.api.Test;

/**
 * Misuse is refused before any message is sent, with a message that says what was wrong: wrong matrix shapes, an
 * unsupported division bound, an empty GROUP BY domain, a non-vertical LR split, non-binary labels, a bad schedule.
 */
class BadProtocolInputIsRefusedWithTheReason {
  private static ShareVector local(int n) {
    return ShareVector.of(Party.P0, new long[n], new long[n]);
  }

  @Test
  void shapesBoundsAndRolesAreCheckedWithAReason() {
    var wrongShape = assertThrows(MalformedInputException.class, () -> MatrixMultiplication.multiply(local(6), 2, 4, local(4), 1, null));
    assertTrue(wrongShape.getMessage().contains("not 2 × 4"), wrongShape.getMessage());

    var notVertical = assertThrows(MalformedInputException.class, () -> new VerticalLogisticRegression.Roles(Party.P0, Party.P0, Party.P2));
    assertTrue(notVertical.getMessage().contains("not a vertical partition"), notVertical.getMessage());

    var badSchedule = assertThrows(MalformedInputException.class, () -> new SgdSchedule(0, 128, 0.5));
    assertTrue(badSchedule.getMessage().contains("epochs"), badSchedule.getMessage());
  }

  @Test
  void runtimeChecksFailTheRunWithTheirReason() {
    var tooWide = assertThrows(MalformedInputException.class, () -> ThreeParties.run(s ->
        NewtonRaphsonDivision.reciprocal(ThreeParties.input(s, Party.P0, new long[] {1}), 50, s)));
    assertTrue(tooWide.getMessage().contains("denominator bound of 2^50"), tooWide.getMessage());

    var emptyDomain = assertThrows(MalformedInputException.class, () -> ThreeParties.run(s ->
        SecureEquality.equalsEachPublic(ThreeParties.input(s, Party.P0, new long[] {1}), new long[0], s)));
    assertTrue(emptyDomain.getMessage().contains("domain"), emptyDomain.getMessage());

    var roles = new VerticalLogisticRegression.Roles(Party.P0, Party.P1, Party.P2);
    double[][] x = {{1}, {2}};
    double[] notBinary = {0, 0.5};
    // Only the label owner sees its labels: the runtime traces the others' "party 1 left" back to its reason.
    var runtime = io.covenant.mpc.engine.ThreePartyRuntime.inProcess(ThreeParties.COMMITTEE, java.time.Duration.ofSeconds(30));
    var labels = assertThrows(MalformedInputException.class, () -> runtime.run(s -> VerticalLogisticRegression.train(s, roles, 2, 1,
        s.self().equals(Party.P0) ? x : null, s.self().equals(Party.P1) ? notBinary : null, new SgdSchedule(1, 2, 0.5))));
    assertTrue(labels.getMessage().contains("neither 0 nor 1"), labels.getMessage());
  }
}
