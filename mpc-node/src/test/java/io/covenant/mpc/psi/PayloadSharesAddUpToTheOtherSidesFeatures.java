package io.covenant.mpc.psi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.mpc.ring.FixedPoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Payload mode: both parties get their rows of the intersection in the same order, and for every feature column of
 * either party, their two shares add up (mod 2^64) to the fixed-point encoding of the owner's value on that aligned row.
 */
class PayloadSharesAddUpToTheOtherSidesFeatures {

  @ParameterizedTest
  @EnumSource(PsiProtocol.class)
  void sharesOfBothSidesColumnsReconstructOnTheAlignedRows(PsiProtocol protocol) {
    SplittableRandom rnd = new SplittableRandom(31);
    List<String> insurerIds = new ArrayList<>();
    List<String> hospitalIds = new ArrayList<>();
    for (int i = 0; i < 400; i++) insurerIds.add("P" + (i * 7 % 1000));
    for (int i = 0; i < 500; i++) hospitalIds.add("P" + (i * 3 % 1000));
    double[] claimed = rnd.doubles(400).map(Math::rint).toArray();
    double[] age = rnd.doubles(500, 18, 90).toArray();
    double[] bmi = rnd.doubles(500, 16, 40).toArray();
    FeatureColumns insurer = new FeatureColumns(List.of("claimed"), new double[][] {claimed});
    FeatureColumns hospital = new FeatureColumns(List.of("age", "bmi"), new double[][] {age, bmi});
    PsiJob job = new PsiJob("job-payload", protocol, IdRule.CASE_SENSITIVE, Delivery.BOTH, 2);
    FixedPoint fp = FixedPoint.DEFAULT;

    var out = TwoParties.run(Duration.ofSeconds(60),
        l -> PsiParty.intersectWithPayload(job, PsiRole.RECEIVER, IdSource.of(insurerIds), insurer, fp, l),
        l -> PsiParty.intersectWithPayload(job, PsiRole.SENDER, IdSource.of(hospitalIds), hospital, fp, l));
    AlignedShares r = out.receiver();
    AlignedShares s = out.sender();

    int[] rr = r.rows();
    int[] sr = s.rows();
    assertEquals(rr.length, sr.length);
    int expected = (int) insurerIds.stream().filter(hospitalIds::contains).count();
    assertEquals(expected, rr.length);
    for (int k = 0; k < rr.length; k++) {
      assertEquals(insurerIds.get(rr[k]), hospitalIds.get(sr[k]), "aligned pair " + k);
      if (k > 0) assertTrue(rr[k] > rr[k - 1], "aligned in the receiver's row order");
    }
    assertEquals(List.of("claimed", "age", "bmi"), r.columns().stream().map(AlignedShares.SharedColumn::name).toList());
    assertEquals(List.of("claimed", "age", "bmi"), s.columns().stream().map(AlignedShares.SharedColumn::name).toList());
    assertEquals(TwoParties.INSURER, r.columns().get(0).owner());
    assertEquals(TwoParties.HOSPITAL, s.columns().get(1).owner());

    double[][] ownerValues = {claimed, age, bmi};
    int[][] ownerRows = {rr, sr, sr};
    for (int c = 0; c < 3; c++) {
      long[] a = r.columns().get(c).share();
      long[] b = s.columns().get(c).share();
      long[] sum = new long[a.length];
      long[] want = new long[a.length];
      int agreeing = 0;
      for (int k = 0; k < a.length; k++) {
        sum[k] = a[k] + b[k];
        want[k] = fp.encode(ownerValues[c][ownerRows[c][k]]);
        if (a[k] == want[k] || b[k] == want[k]) agreeing++;
      }
      assertArrayEquals(want, sum, "column " + c);
      assertEquals(0, agreeing, "a share equal to the value itself: the masks are missing");
    }
  }
}
