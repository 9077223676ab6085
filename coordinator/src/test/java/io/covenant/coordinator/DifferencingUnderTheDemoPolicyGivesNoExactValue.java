package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.coordinator.demo.HospitalInsurerDemo;
import io.covenant.coordinator.job.JobOutcome;
import io.covenant.coordinator.job.JobState;
import io.covenant.tee.compute.ResultTable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack: two sums whose cohorts differ by exactly one patient (everyone admitted up to day D, and everyone admitted
 * before D, where one patient was admitted on D). Each query passes every per-query rule and its cohort is large, yet
 * without noise their difference is that patient's claim cost to the cent. Under the demo's policies (a privacy
 * budget) both answers carry discrete Laplace noise, and the difference is not the value; without a budget and without
 * {@code privacy.exact}, the query is denied outright.
 */
class DifferencingUnderTheDemoPolicyGivesNoExactValue {
  @TempDir Path dir;

  @Test
  void theDifferenceOfTwoNoisySumsIsNotThePatientsClaimCost() {
    try (SmallFederation f = new SmallFederation(dir, 300)) {
      List<SmallFederation.Claim> claims = f.plaintext();
      Map<LocalDate, List<SmallFederation.Claim>> byDay = claims.stream().collect(Collectors.groupingBy(SmallFederation.Claim::admitted));
      LocalDate day = byDay.entrySet().stream()
          .filter(e -> e.getValue().size() == 1 && claims.stream().filter(c -> c.admitted().isBefore(e.getKey())).count() >= 100)
          .map(Map.Entry::getKey).sorted().findFirst()
          .orElseThrow(() -> new AssertionError("no day with exactly one admission after the first 100"));
      double victim = byDay.get(day).getFirst().cost();

      BigDecimal upTo = total(f, "SELECT SUM(claim_cost) AS total FROM claims WHERE admission_date <= DATE '" + day + "'");
      BigDecimal before = total(f, "SELECT SUM(claim_cost) AS total FROM claims WHERE admission_date < DATE '" + day + "'");
      BigDecimal difference = upTo.subtract(before);
      assertTrue(difference.subtract(BigDecimal.valueOf(victim)).abs().compareTo(new BigDecimal("0.01")) >= 0,
          "the two answers differ by the patient's exact claim cost " + victim);
    }
  }

  @Test
  void withoutABudgetTheSumIsDeniedUnlessTheOwnerOptsOut() {
    try (SmallFederation f = new SmallFederation(dir, 150)) {
      for (var h : HospitalInsurerDemo.HOSPITALS) {
        Map<String, io.covenant.core.codec.Json> m = new java.util.TreeMap<>(
            io.covenant.core.codec.Json.parseObject(HospitalInsurerDemo.policyFor(h.org())).members());
        m.remove("privacy");
        m.put("id", io.covenant.core.codec.Json.of(h.org().value() + "-no-budget"));
        f.deployment.owner(h.org()).publishPolicy(new io.covenant.core.codec.Json.JObject(m).encode());
      }
      JobOutcome o = f.submit("SELECT SUM(claim_cost) AS total FROM claims WHERE admission_date < DATE '2025-06-01'");
      assertEquals(JobState.DENIED, o.state());
      assertTrue(o.reasons().stream().allMatch(r -> r.contains(": privacy:exact: the query uses claim_cost, which is sensitive")), o.reasons().toString());
    }
  }

  private static BigDecimal total(SmallFederation f, String sql) {
    JobOutcome o = f.submit(sql);
    assertEquals(JobState.COMMITTED, o.state(), o.reasons().toString());
    ResultTable t = f.deployment.consumer(HospitalInsurerDemo.INSURER).result(o.job());
    assertEquals(1, t.rows().size(), "the cohort is large enough to be released");
    Object v = t.rows().getFirst().getFirst();
    return v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
  }

}
