package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

/**
 * A consumer's membership probe: the same query twice, once aimed at an age some patient has and once at an age nobody
 * has ({@value #ABSENT_AGE}), with a trap that would raise an error only on a matching row. The probe learns a bit if
 * anything a consumer can observe differs between the two ({@link ObservedOutcome}).
 */
final class MembershipProbe {
  static final long ABSENT_AGE = 150;

  private MembershipProbe() {}

  /**
   * Runs {@code template} (with {@code $AGE} where the probed age goes; {@code $PRESENT} may name the present age inside
   * the trap) for an age that exists and one that does not, and returns both outcomes, after checking they are equal.
   */
  static ObservedOutcome[] sameOutcome(Path dir, String template) {
    try (SmallFederation f = new SmallFederation(dir, 300)) {
      long present = f.plaintext().stream().mapToLong(SmallFederation.Claim::age).filter(a -> a >= 90 && a < 100).findFirst()
          .orElseThrow(() -> new AssertionError("the fixture has no patient aged 90-99 to probe for"));
      assertTrue(f.plaintext().stream().noneMatch(c -> c.age() == ABSENT_AGE));
      String withTrap = template.replace("$PRESENT", Long.toString(present));
      ObservedOutcome exists = ObservedOutcome.of(f, withTrap.replace("$AGE", Long.toString(present)));
      ObservedOutcome absent = ObservedOutcome.of(f, withTrap.replace("$AGE", Long.toString(ABSENT_AGE)));
      assertEquals(absent, exists, "the outcome tells whether a patient aged " + present + " exists");
      return new ObservedOutcome[] {exists, absent};
    }
  }
}
