package io.covenant.mpc.fl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.OrgId;
import io.covenant.mpc.fl.data.ReadmissionScenario;
import io.covenant.mpc.fl.model.ModelKind;
import io.covenant.mpc.fl.privacy.PrivacyBudget;
import io.covenant.mpc.fl.secagg.DroppedHospital;
import io.covenant.mpc.fl.secagg.LinksThatFail;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hospital that crashes in round 2 after sending its masked update is named in that round's record, with the step;
 * its update is still in round 2's sum, exactly: the new global model is bit-for-bit the one of a run in which nobody
 * dropped. The job goes on without it.
 */
class DroppedHospitalIsNamedInTheRoundRecord {
  private final FlRoster roster = new FlRoster(OrgId.of("insurer-x"),
      List.of(OrgId.of("hospital-a"), OrgId.of("hospital-b"), OrgId.of("hospital-c"), OrgId.of("hospital-d"), OrgId.of("hospital-e")));
  private final FlJobSpec spec = FlJobSpec.fedAvg(new ModelKind.LogisticRegression(), 3, 1, 0.1).withDropoutTolerance(0.2);

  private InProcessFederation federation() {
    return new InProcessFederation(spec, roster, ReadmissionScenario.generate(8, 5, 300), Collections.nCopies(5, PrivacyBudget.unlimited()));
  }

  @Test
  void theDropoutIsNamedAndTheRoundsSumIsExact() {
    InProcessFederation.Run clean = federation().run();
    OrgId c = OrgId.of("hospital-c");
    // A hospital sends five frames a round (join, AdvertiseKeys, ShareKeys, MaskedInput, Unmasking); c stops after round 2's masked input.
    InProcessFederation.Run crashed = federation().hospitalLinks((h, l) -> h.equals(c) ? LinksThatFail.closingAfter(l, 9) : l).run();

    FlRoundRecord second = crashed.result().rounds().get(1);
    assertEquals(List.of(c), second.dropped().stream().map(DroppedHospital::hospital).toList());
    assertEquals("Unmasking", second.dropped().getFirst().step());
    assertTrue(second.participants().contains(c), "its masked update was sent, so it is in the sum");
    assertEquals(clean.result().rounds().get(1).globalModelHash(), second.globalModelHash(), "round 2's model is exactly the no-dropout model");
    assertEquals(clean.result().rounds().get(1).aggregateHash(), second.aggregateHash());

    FlRoundRecord third = crashed.result().rounds().get(2);
    assertEquals(4, third.participants().size());
    assertTrue(!third.participants().contains(c));
    assertNotEquals(clean.result().finalModelHash(), crashed.result().finalModelHash());
    assertEquals(3, crashed.result().rounds().size());
  }
}
