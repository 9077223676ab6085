package io.covenant.coordinator.demo;

import io.covenant.core.error.CovenantException;
import io.covenant.mpc.model.LogisticModel;
import io.covenant.mpc.model.SgdSchedule;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The insurer × hospital risk model's synthetic data: a population of people with pseudonymous ids, some of them
 * patients of the hospital (which holds their clinical features) and some policyholders of the insurer (which holds
 * whether they claimed last year); the claim depends, through a logistic law, on the features only the hospital holds.
 * Neither side alone can learn it; the demo knows both sides, so it can also train the pooled model in the clear to show
 * how close the multi-party model comes.
 */
public final class RiskScenario {
  /**
   * The hospital's features, standardised by the hospital before it publishes them (about mean 0, spread 1): the
   * engine's fixed point and piecewise sigmoid train well on such values, as plain SGD does.
   */
  public static final List<String> FEATURES = List.of("age_std", "chronic_conditions_std", "admissions_std", "stay_std");
  /** The true law on the standardised features: intercept, then one weight per feature. */
  private static final double[] TRUTH = {-0.5, 1.0, 0.8, 1.0, 0.5};

  private final int population;
  private final long seed;

  public RiskScenario(int population, long seed) {
    this.population = population;
    this.seed = seed;
  }

  /** One person: id, features, the claim label and who holds them. */
  record Person(String id, double[] features, int claimed, boolean patient, boolean policyholder) {}

  List<Person> people() {
    SplittableRandom r = new SplittableRandom(seed);
    List<Person> out = new ArrayList<>(population);
    for (int i = 0; i < population; i++) {
      double age = 2 + r.nextDouble() * 7; // 20 to 90 years, in decades
      double chronic = Math.min(6, Math.floor(-Math.log(1 - r.nextDouble()) * (0.3 + age / 9)));
      double admissions = Math.min(5, Math.floor(-Math.log(1 - r.nextDouble()) * (0.2 + chronic / 4)));
      double stay = Math.min(4, r.nextDouble() * (0.2 + admissions / 3));
      double[] f = {(age - 5.5) / 2, (chronic - 1) / 1.5, admissions - 0.5, (stay - 0.3) / 0.5};
      double z = TRUTH[0];
      for (int k = 0; k < f.length; k++) z += TRUTH[k + 1] * f[k];
      int claimed = r.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
      // About 70 % are the hospital's patients, 60 % the insurer's policyholders: about 42 % in both.
      out.add(new Person(String.format(Locale.ROOT, "pid-%06d", i), f, claimed, r.nextDouble() < 0.7, r.nextDouble() < 0.6));
    }
    return out;
  }

  /** The hospital's table: patient_id and the features, one row per patient. */
  public void writeHospital(Path csv) {
    write(csv, "patient_id," + String.join(",", FEATURES), people().stream().filter(Person::patient).map(p -> {
      StringBuilder sb = new StringBuilder(p.id());
      for (double v : p.features()) sb.append(',').append(String.format(Locale.ROOT, "%.4f", v));
      return sb.toString();
    }).toList());
  }

  /** The insurer's table: patient_id (the shared pseudonym) and whether the policyholder claimed last year. */
  public void writeInsurer(Path csv) {
    write(csv, "patient_id,claimed", people().stream().filter(Person::policyholder).map(p -> p.id() + "," + p.claimed()).toList());
  }

  /** The matched rows, pooled in the clear: what no party may build, and the demo builds to compare. */
  record Pooled(double[][] features, double[] labels) {}

  Pooled pooled() {
    List<Person> both = people().stream().filter(p -> p.patient() && p.policyholder()).toList();
    double[][] f = new double[both.size()][];
    double[] y = new double[both.size()];
    for (int i = 0; i < both.size(); i++) {
      f[i] = both.get(i).features();
      y[i] = both.get(i).claimed();
    }
    return new Pooled(f, y);
  }

  /** The same model trained in the clear on the pooled rows, with the same schedule. */
  LogisticModel pooledModel(SgdSchedule schedule) {
    Pooled p = pooled();
    return LogisticModel.trainInPlaintext(p.features(), p.labels(), schedule);
  }

  private static void write(Path csv, String header, List<String> rows) {
    try (Writer w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      w.write(header);
      w.write('\n');
      for (String row : rows) {
        w.write(row);
        w.write('\n');
      }
    } catch (IOException e) {
      throw new CovenantException("cannot write " + csv + ": " + e.getMessage(), e);
    }
  }
}
