package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.Measurement;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Engine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The who-may-do-what terms are decided by Cedar; on random policies and requests, each term's finding agrees with a
 * plain reading of the policy (the reference below, which exists only in this test).
 */
class CedarAgreesWithThePolicyTerms {
  private static final List<String> ORGS = List.of("insurer-x", "insurer-y", "hospital-a", "researcher-1", "carmaker-z");
  private static final List<String> PURPOSES = List.of("risk-model", "research", "marketing", "ubi-scoring", "billing");
  private static final List<String> DATASETS = List.of("hospital-a/claims", "hospital-b/claims", "hospital-a/visits");
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
  private static final String SQL = "SELECT sex, COUNT(*) FROM claims GROUP BY sex";

  @Test
  void randomRequestsAgreeTermByTerm() {
    Random rnd = new Random(20260101);
    PolicyEvaluator evaluator = new PolicyEvaluator();
    int permits = 0;
    int denies = 0;
    for (int i = 0; i < 1500; i++) {
      Policy p = randomPolicy(rnd);
      UsageRequest r = randomRequest(rnd, p);
      PolicyDecision d = evaluator.evaluate(p, r);
      Map<String, Boolean> expected = reference(p, r);
      for (Map.Entry<String, Boolean> e : expected.entrySet()) {
        assertEquals(e.getValue(), ClaimsScenario.finding(d, e.getKey()).passed(),
            () -> e.getKey() + " for " + r + "\nunder\n" + PolicyEvaluator.accessRulesInCedar(p) + "\nfindings " + d.findings());
      }
      boolean allowed = !expected.containsValue(false);
      assertEquals(allowed, d.findings().stream().anyMatch(f -> f.rule().equals("access") && f.passed()), d.findings()::toString);
      if (allowed) permits++; else denies++;
      if (!allowed) {
        assertTrue(d.violations().stream().allMatch(f -> f.explanation().contains("[Cedar: forbid ")), d.violations()::toString);
      }
    }
    // The stream exercises both outcomes, not only one.
    assertTrue(permits > 100 && denies > 100, permits + " permits, " + denies + " denies");
  }

  @Test
  void cedarTextNamesEveryTerm() {
    String text = PolicyEvaluator.accessRulesInCedar(ClaimsScenario.policy());
    for (String id : List.of("permit-compute", "dataset", "assignee", "purpose", "engine", "validity-from", "validity-until")) {
      assertTrue(text.contains("@id(\"" + id + "\")"), text);
    }
    assertTrue(text.contains("context.atMillis >= 1798761600000 }; // 2027-01-01T00:00:00Z"), text);
    assertTrue(PolicyEvaluator.CEDAR_SCHEMA.contains("action compute"));
  }

  /** The plain-Java reading of the terms: the oracle for Cedar. */
  private static Map<String, Boolean> reference(Policy p, UsageRequest r) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    m.put("dataset", p.dataset().equals(r.dataset().dataset()));
    m.put("assignee", p.assignees().contains(r.consumer()));
    m.put("purpose", p.purposes().contains(r.purpose()));
    m.put("engine", p.engines().contains(r.engine()) && !(r.engine() == Engine.TEE && p.tee().measurements().isEmpty()));
    m.put("validity", p.isValidAt(r.at()));
    return m;
  }

  private static <T> List<T> someOf(Random rnd, List<T> all) {
    List<T> out = new ArrayList<>();
    for (T t : all) if (rnd.nextInt(3) == 0) out.add(t);
    if (out.isEmpty()) out.add(all.get(rnd.nextInt(all.size())));
    return out;
  }

  private static Policy randomPolicy(Random rnd) {
    Optional<Instant> from = rnd.nextBoolean() ? Optional.of(BASE.plusSeconds(rnd.nextInt(1000))) : Optional.empty();
    Optional<Instant> until = rnd.nextBoolean() ? Optional.of(BASE.plusSeconds(1000 + rnd.nextInt(1000))) : Optional.empty();
    List<Measurement> measurements = rnd.nextInt(4) == 0 ? List.of() : List.of(new Measurement("b".repeat(64)));
    return new Policy("p" + rnd.nextInt(1000), io.covenant.core.id.DatasetId.parse(DATASETS.get(rnd.nextInt(2))),
        someOf(rnd, ORGS).stream().map(OrgId::of).toList(), someOf(rnd, PURPOSES).stream().map(Purpose::new).toList(),
        someOf(rnd, List.of(Engine.values())), new Policy.Tee(rnd.nextBoolean(), measurements), from, until, 10,
        Map.of("sex", ColumnRule.DIMENSION), ColumnRule.NEVER, new Policy.Approval(false), OptionalLong.empty(), List.of(),
        Optional.empty(), Optional.empty());
  }

  private static UsageRequest randomRequest(Random rnd, Policy p) {
    // Bias towards the policy's own terms so permits are common, and probe the window's edges exactly.
    OrgId consumer = rnd.nextBoolean() ? p.assignees().get(0) : OrgId.of(ORGS.get(rnd.nextInt(ORGS.size())));
    Purpose purpose = rnd.nextBoolean() ? p.purposes().get(0) : new Purpose(PURPOSES.get(rnd.nextInt(PURPOSES.size())));
    Engine engine = rnd.nextBoolean() ? p.engines().get(0) : Engine.values()[rnd.nextInt(Engine.values().length)];
    String dataset = rnd.nextInt(4) == 0 ? DATASETS.get(rnd.nextInt(DATASETS.size())) : p.dataset().toString();
    Instant at = switch (rnd.nextInt(5)) {
      case 0 -> p.validFrom().orElse(BASE);
      case 1 -> p.validUntil().orElse(BASE.plusSeconds(3000));
      case 2 -> p.validFrom().orElse(BASE).minusNanos(1 + rnd.nextInt(2_000_000));
      case 3 -> p.validUntil().orElse(BASE).minusNanos(1 + rnd.nextInt(2_000_000));
      default -> BASE.plusMillis(rnd.nextInt(2_500_000)).plusNanos(rnd.nextInt(1_000_000));
    };
    return new UsageRequest(consumer, purpose, engine, DatasetVersion.parse(dataset + "@1"), "claims", ClaimsScenario.SCHEMA,
        new Computation.SqlQuery(SQL), at);
  }
}
