package io.covenant.mpc.fl.data;

import io.covenant.core.error.MalformedInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Synthetic 30-day readmission data for hospitals with different case mixes: non-IID by design. Every hospital draws
 * its patients from its own mix (age, diagnosis groups, emergency share) while readmission follows one clinical
 * relation shared by all (covariate shift), as when a cardiac centre, a surgical hospital and an urban general hospital
 * treat different patients under the same medicine. Deterministic in the seed. Not real patients.
 *
 * <p>Features (already on comparable scales, so no party needs the others' statistics to standardise): age
 * ((years − 65)/15), sex, log length of stay, prior admissions in the last year (/2), Charlson comorbidity index (/3),
 * emergency admission, discharged home, medications (/5), and one-hot diagnosis group: cardiac, respiratory,
 * surgical, oncology, other.
 */
public final class ReadmissionScenario {
  private ReadmissionScenario() {}

  public static final List<String> FEATURES = List.of("age", "sex", "log_length_of_stay", "prior_admissions", "comorbidity",
      "emergency", "discharged_home", "medications", "dx_cardiac", "dx_respiratory", "dx_surgical", "dx_oncology", "dx_other");

  /** A hospital's case mix: who comes through its doors. */
  public record CaseMix(String description, double meanAge, double[] diagnosisShares, double emergencyShare, double meanPriorAdmissions) {}

  private static final List<CaseMix> MIXES = List.of(
      new CaseMix("cardiac centre: older patients, mostly cardiac", 73, new double[] {0.55, 0.15, 0.10, 0.05, 0.15}, 0.45, 1.4),
      new CaseMix("surgical hospital: younger patients, mostly elective surgery", 48, new double[] {0.08, 0.07, 0.60, 0.10, 0.15}, 0.20, 0.4),
      new CaseMix("urban general hospital: emergencies, respiratory and oncology", 62, new double[] {0.15, 0.35, 0.10, 0.20, 0.20}, 0.70, 0.9));

  /** The case mix of hospital {@code index} (0-based): the three base mixes in turn, shifted for the fourth and later. */
  public static CaseMix caseMix(int index) {
    CaseMix base = MIXES.get(index % MIXES.size());
    if (index < MIXES.size()) return base;
    SplittableRandom r = new SplittableRandom(0x5EED_0000L + index);
    return new CaseMix(base.description() + " (variant " + (index / MIXES.size()) + ")", base.meanAge() + r.nextDouble(-6, 6),
        base.diagnosisShares(), Math.min(0.9, Math.max(0.1, base.emergencyShare() + r.nextDouble(-0.1, 0.1))),
        Math.max(0.2, base.meanPriorAdmissions() + r.nextDouble(-0.3, 0.3)));
  }

  /** {@code hospitals} datasets of {@code rowsPerHospital} patients each. */
  public static List<LabelledData> generate(long seed, int hospitals, int rowsPerHospital) {
    if (hospitals < 1 || rowsPerHospital < 10) {
      throw new MalformedInputException("the scenario needs at least one hospital and 10 patients per hospital; got " + hospitals + " and " + rowsPerHospital);
    }
    List<LabelledData> out = new ArrayList<>(hospitals);
    for (int h = 0; h < hospitals; h++) out.add(hospital(new SplittableRandom(seed * 1_000_003L + h), caseMix(h), rowsPerHospital));
    return out;
  }

  private static LabelledData hospital(SplittableRandom r, CaseMix mix, int rows) {
    int d = FEATURES.size();
    DMatrixRMaj x = new DMatrixRMaj(rows, d);
    double[] y = new double[rows];
    for (int i = 0; i < rows; i++) {
      double age = Math.max(0, Math.min(100, mix.meanAge() + 14 * gaussian(r)));
      double sex = r.nextDouble() < 0.5 ? 1 : 0;
      int dx = pick(r, mix.diagnosisShares());
      double emergency = r.nextDouble() < mix.emergencyShare() ? 1 : 0;
      double lengthOfStay = Math.max(1, Math.exp(1.2 + 0.5 * gaussian(r) + 0.3 * emergency + (dx == 3 ? 0.4 : 0) + (age - 65) / 100));
      double prior = poisson(r, mix.meanPriorAdmissions() * (1 + Math.max(0, age - 60) / 60));
      double comorbidity = poisson(r, 0.5 + Math.max(0, age - 40) / 20.0 + (dx == 3 ? 1 : 0));
      double home = r.nextDouble() < Math.max(0.2, 0.9 - Math.max(0, age - 70) / 40 - 0.1 * emergency) ? 1 : 0;
      double medications = poisson(r, 3 + comorbidity);
      double[] row = x.data;
      int at = i * d;
      row[at] = (age - 65) / 15;
      row[at + 1] = sex;
      row[at + 2] = Math.log(lengthOfStay);
      row[at + 3] = prior / 2;
      row[at + 4] = comorbidity / 3;
      row[at + 5] = emergency;
      row[at + 6] = home;
      row[at + 7] = medications / 5;
      row[at + 8 + dx] = 1;
      y[i] = r.nextDouble() < readmissionProbability(row, at) ? 1 : 0;
    }
    return new LabelledData(x, y);
  }

  /** The one clinical relation all hospitals share; the age × comorbidity term is what a linear model cannot express. */
  private static double readmissionProbability(double[] f, int at) {
    double[] dxEffect = {0.5, 0.4, -0.4, 0.6, 0.0};
    double z = -2.1 + 0.35 * f[at] + 0.1 * f[at + 1] + 0.45 * f[at + 2] + 0.9 * f[at + 3] + 0.6 * f[at + 4] + 0.5 * f[at + 5]
        - 0.6 * f[at + 6] + 0.2 * f[at + 7] + 0.35 * f[at] * f[at + 4];
    for (int k = 0; k < 5; k++) z += dxEffect[k] * f[at + 8 + k];
    return 1 / (1 + Math.exp(-z));
  }

  private static int pick(SplittableRandom r, double[] shares) {
    double u = r.nextDouble();
    double acc = 0;
    for (int k = 0; k < shares.length; k++) {
      acc += shares[k];
      if (u < acc) return k;
    }
    return shares.length - 1;
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = 1 - r.nextDouble(); // (0, 1]: log is finite
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static double poisson(SplittableRandom r, double mean) {
    double limit = Math.exp(-mean); // Knuth's method: fine for the small means here
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > limit);
    return k - 1;
  }
}
