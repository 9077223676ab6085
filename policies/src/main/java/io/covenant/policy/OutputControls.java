package io.covenant.policy;

import io.covenant.core.error.MalformedInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the enclave does to a result before it leaves: withhold groups smaller than {@code minCohort}, and, when the
 * owners' policies carry a privacy budget, release only noisy statistics.
 *
 * @param minCohort smallest group a result may describe
 * @param privacy the differential-privacy terms, or none for exact results
 */
public record OutputControls(int minCohort, Optional<Privacy> privacy) {
  public OutputControls {
    if (minCohort < 1) throw new MalformedInputException("the minimum cohort must be at least 1, got " + minCohort);
    privacy = privacy == null ? Optional.empty() : privacy;
  }

  /** Exact results, groups below {@code minCohort} withheld. */
  public static OutputControls cohortOnly(int minCohort) {
    return new OutputControls(minCohort, Optional.empty());
  }

  /**
   * The controls that satisfy every one of a job's policies: the largest minimum cohort; if any policy has a privacy
   * budget, the smallest epsilon per query among them and, per column, the intersection of the declared bounds
   * (clamping to it keeps every owner's bound).
   */
  public static OutputControls forPolicies(List<Policy> policies) {
    if (policies == null || policies.isEmpty()) throw new MalformedInputException("output controls need at least one policy");
    int cohort = policies.stream().mapToInt(Policy::minCohort).max().orElseThrow();
    BigDecimal epsilon = null;
    Policy.PrivacyBudget.Mechanism mechanism = null;
    BigDecimal delta = null;
    boolean orderStatistics = true;
    SortedMap<String, Policy.Bounds> bounds = new TreeMap<>();
    for (Policy p : policies) {
      if (p.privacy().isEmpty()) continue;
      orderStatistics &= p.release().orderStatistics();
      Policy.PrivacyBudget b = p.privacy().get();
      epsilon = epsilon == null ? b.epsilonPerQuery() : epsilon.min(b.epsilonPerQuery());
      if (mechanism != null && mechanism != b.mechanism()) {
        throw new MalformedInputException("the policies of a joint query ask for different noise mechanisms (" + p.id() + " asks for "
            + b.mechanism().wireName() + ", another for " + mechanism.wireName() + "); the owners must agree on one");
      }
      mechanism = b.mechanism();
      if (b.deltaPerQuery().isPresent()) delta = delta == null ? b.deltaPerQuery().get() : delta.min(b.deltaPerQuery().get());
      for (Map.Entry<String, Policy.Bounds> e : b.bounds().entrySet()) {
        Policy.Bounds before = bounds.get(e.getKey());
        if (before == null) {
          bounds.put(e.getKey(), e.getValue());
          continue;
        }
        BigDecimal lo = before.lower().max(e.getValue().lower());
        BigDecimal hi = before.upper().min(e.getValue().upper());
        if (lo.compareTo(hi) >= 0) {
          throw new MalformedInputException("the policies' privacy bounds for column " + e.getKey() + " do not overlap (" + p
              + " declares [" + e.getValue().lower().toPlainString() + ", " + e.getValue().upper().toPlainString()
              + "]); the owners must agree on a common range before a joint query");
        }
        bounds.put(e.getKey(), new Policy.Bounds(lo, hi));
      }
    }
    return new OutputControls(cohort, epsilon == null ? Optional.empty()
        : Optional.of(new Privacy(epsilon, bounds, orderStatistics, mechanism, Optional.ofNullable(delta))));
  }

  /**
   * The differential-privacy terms of one query.
   *
   * @param epsilon the budget one query spends; split evenly over the statistics it releases
   * @param bounds per column, the range each value is clamped to before it is summed or averaged
   * @param orderStatistics whether every budgeted policy allows MIN, MAX and MEDIAN ({@code privacy.orderStatistics});
   *     they are then noised at their global sensitivity, the width of the clamped range
   * @param mechanism the noise every budgeted policy asks for (they must agree)
   * @param delta for the gaussian mechanism, the smallest delta per query among the policies
   */
  public record Privacy(BigDecimal epsilon, Map<String, Policy.Bounds> bounds, boolean orderStatistics, Policy.PrivacyBudget.Mechanism mechanism,
      Optional<BigDecimal> delta) {
    public Privacy {
      if (epsilon == null || epsilon.signum() <= 0) throw new MalformedInputException("epsilon must be above 0");
      bounds = bounds == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(bounds));
      if (mechanism == null) mechanism = Policy.PrivacyBudget.Mechanism.LAPLACE;
      delta = delta == null ? Optional.empty() : delta;
      if ((mechanism == Policy.PrivacyBudget.Mechanism.GAUSSIAN) != delta.isPresent()) {
        throw new MalformedInputException("the gaussian mechanism needs a delta, and only it");
      }
    }

    /** Laplace terms. */
    public Privacy(BigDecimal epsilon, Map<String, Policy.Bounds> bounds, boolean orderStatistics) {
      this(epsilon, bounds, orderStatistics, Policy.PrivacyBudget.Mechanism.LAPLACE, Optional.empty());
    }

    /** Terms without order statistics: only COUNT, SUM and AVG are released. */
    public Privacy(BigDecimal epsilon, Map<String, Policy.Bounds> bounds) {
      this(epsilon, bounds, false);
    }
  }
}
