package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both protocols, both deliveries: each party's rows in the intersection are exactly those a plaintext join finds. */
class IntersectionMatchesPlaintextJoin {

  static int[] plaintextRows(List<String> own, List<String> other) {
    Set<String> o = new HashSet<>(other);
    return IntStream.range(0, own.size()).filter(i -> o.contains(own.get(i))).toArray();
  }

  static List<String> randomIds(SplittableRandom rnd, int n, int universe) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add("patient-" + rnd.nextInt(universe));
    return out;
  }

  static PsiJob job(PsiProtocol p, Delivery d) {
    return new PsiJob("job-psi-test", p, IdRule.CASE_SENSITIVE, d, 2);
  }

  static void check(PsiProtocol p, List<String> x, List<String> y) {
    var both = TwoParties.intersect(job(p, Delivery.BOTH), x, y);
    assertArrayEquals(plaintextRows(x, y), TwoParties.rows(both.receiver()), "receiver's rows");
    assertArrayEquals(plaintextRows(y, x), TwoParties.rows(both.sender()), "sender's rows");
    var one = TwoParties.intersect(job(p, Delivery.RECEIVER_ONLY), x, y);
    assertArrayEquals(plaintextRows(x, y), TwoParties.rows(one.receiver()));
    assertInstanceOf(PsiResult.Withheld.class, one.sender());
    assertEquals(new HashSet<>(y).size(), one.receiver().stats().peerDistinct());
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void randomOverlappingSets(PsiProtocol p) {
    SplittableRandom rnd = new SplittableRandom(7);
    int scale = p == PsiProtocol.KKRT16 ? 4 : 1; // ECDH costs three scalar multiplications per element; keep the default run short
    check(p, randomIds(rnd, 1200 * scale, 8000 * scale), randomIds(rnd, 800 * scale, 8000 * scale));
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void emptySets(PsiProtocol p) {
    check(p, List.of(), List.of("a", "b"));
    check(p, List.of("a", "b"), List.of());
    check(p, List.of(), List.of());
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void identicalSets(PsiProtocol p) {
    List<String> ids = IntStream.range(0, 500).mapToObj(i -> "id" + i).toList();
    check(p, ids, ids);
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void duplicatesOnBothSidesReportEveryRow(PsiProtocol p) {
    check(p, List.of("a", "b", "a", "c", "a"), List.of("a", "a", "c", "d", "c"));
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void oneElementEachSide(PsiProtocol p) {
    check(p, List.of("only"), List.of("only"));
    check(p, List.of("only"), List.of("other"));
  }

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void unbalancedSets(PsiProtocol p) {
    SplittableRandom rnd = new SplittableRandom(11);
    List<String> big = IntStream.range(0, p == PsiProtocol.KKRT16 ? 100_000 : 2_000).mapToObj(i -> "p" + i).toList();
    List<String> small = List.of("p5", "p77", "x", "p" + (big.size() - 1), "y", "p0", "p123", "zz", "p9", "q");
    check(p, small, big);
    check(p, big, small);
  }

  @Test
  void kkrtGivesTheSameRowsAsEcdhOnTheSameInputs() {
    SplittableRandom rnd = new SplittableRandom(23);
    List<String> x = randomIds(rnd, 1500, 3000);
    List<String> y = randomIds(rnd, 1000, 3000);
    x.add("  P-42 ");
    y.add("p-42");
    for (Delivery d : Delivery.values()) {
      var ecdh = TwoParties.intersect(new PsiJob("job-cmp", PsiProtocol.ECDH_P256, IdRule.CASE_INSENSITIVE, d, 2), x, y);
      var kkrt = TwoParties.intersect(new PsiJob("job-cmp", PsiProtocol.KKRT16, IdRule.CASE_INSENSITIVE, d, 2), x, y);
      assertArrayEquals(TwoParties.rows(ecdh.receiver()), TwoParties.rows(kkrt.receiver()));
      if (d == Delivery.BOTH) assertArrayEquals(TwoParties.rows(ecdh.sender()), TwoParties.rows(kkrt.sender()));
    }
  }

  @Test
  void idsAreNormalisedTheSameWayOnBothSides() {
    PsiJob job = new PsiJob("job-norm", PsiProtocol.ECDH_P256, IdRule.CASE_INSENSITIVE, Delivery.BOTH, 2);
    // "é" composed vs e + combining acute; trailing space; German sharp s vs "SS"; different case.
    var out = TwoParties.intersect(job, List.of("Caf\u00e9 ", "STRASSE", "Alice@Example.org", "bob"),
        List.of("cafe\u0301", "stra\u00dfe", "alice@example.ORG", "carol"));
    assertArrayEquals(new int[] {0, 1, 2}, TwoParties.rows(out.receiver()));
    assertArrayEquals(new int[] {0, 1, 2}, TwoParties.rows(out.sender()));
  }

  @Test
  void aCaseSensitiveRuleKeepsCase() {
    PsiJob job = new PsiJob("job-norm", PsiProtocol.ECDH_P256, IdRule.CASE_SENSITIVE, Delivery.BOTH, 2);
    var out = TwoParties.intersect(job, List.of("Ab", "cd"), List.of("ab", "cd"));
    assertArrayEquals(new int[] {1}, TwoParties.rows(out.receiver()));
  }
}
