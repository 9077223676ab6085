package io.covenant.mpc.fl.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The same seed gives the same hospitals; the hospitals' case mixes (age, diagnoses, outcome rate) clearly differ. */
class ScenarioIsDeterministicAndNonIid {

  @Test
  void sameSeedSameData() {
    List<LabelledData> a = ReadmissionScenario.generate(42, 3, 500);
    List<LabelledData> b = ReadmissionScenario.generate(42, 3, 500);
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(a.get(i).features().data, b.get(i).features().data);
      assertArrayEquals(a.get(i).labels(), b.get(i).labels());
    }
    assertFalse(java.util.Arrays.equals(a.getFirst().labels(), ReadmissionScenario.generate(43, 3, 500).getFirst().labels()));
  }

  @Test
  void caseMixesDiffer() {
    List<LabelledData> h = ReadmissionScenario.generate(7, 3, 4000);
    double[] meanAge = new double[3];
    double[] cardiac = new double[3];
    double[] surgical = new double[3];
    double[] rate = new double[3];
    int d = ReadmissionScenario.FEATURES.size();
    for (int k = 0; k < 3; k++) {
      LabelledData x = h.get(k);
      for (int i = 0; i < x.rows(); i++) {
        meanAge[k] += x.features().data[i * d] / x.rows();
        cardiac[k] += x.features().data[i * d + 8] / x.rows();
        surgical[k] += x.features().data[i * d + 10] / x.rows();
        rate[k] += x.labels()[i] / x.rows();
      }
    }
    assertTrue(meanAge[0] > meanAge[2] + 0.5 && meanAge[2] > meanAge[1] + 0.5, "mean scaled ages " + java.util.Arrays.toString(meanAge));
    assertTrue(cardiac[0] > 0.4 && cardiac[1] < 0.15, "cardiac shares " + java.util.Arrays.toString(cardiac));
    assertTrue(surgical[1] > 0.5 && surgical[0] < 0.2, "surgical shares " + java.util.Arrays.toString(surgical));
    assertTrue(rate[0] > rate[1] + 0.05, "readmission rates " + java.util.Arrays.toString(rate));
  }
}
