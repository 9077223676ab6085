package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static io.covenant.policy.ClaimsScenario.policy;
import static io.covenant.policy.ClaimsScenario.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Engine;
import io.covenant.policy.PolicyDecision.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Consumer, purpose, engine, dataset and validity window: the terms around the query. */
class RequestOutsidePolicyTermsIsDenied {
  private static final String SQL = "SELECT sex, COUNT(*) FROM claims GROUP BY sex";
  private final PolicyEvaluator evaluator = new PolicyEvaluator();

  private PolicyDecision.Finding onlyViolation(UsageRequest r, String rule) {
    PolicyDecision d = evaluator.evaluate(policy(), r);
    assertEquals(Outcome.DENY, d.outcome());
    assertEquals(1, d.violations().size(), d.violations().toString());
    PolicyDecision.Finding f = finding(d, rule);
    assertFalse(f.passed());
    return f;
  }

  private static UsageRequest with(OrgId consumer, Purpose purpose, Engine engine, DatasetVersion dataset, Instant at) {
    UsageRequest r = request(SQL);
    return new UsageRequest(consumer, purpose, engine, dataset, r.tableName(), r.schema(), r.computation(), at);
  }

  private static UsageRequest base() {
    return request(SQL);
  }

  @Test
  void consumerNotAnAssignee() {
    UsageRequest b = base();
    var f = onlyViolation(with(OrgId.of("insurer-y"), b.purpose(), b.engine(), b.dataset(), b.at()), "assignee");
    assertEquals("insurer-y is not one of the organisations the policy allows (insurer-x) [Cedar: forbid assignee]", f.explanation());
  }

  @Test
  void purposeNotAllowed() {
    UsageRequest b = base();
    var f = onlyViolation(with(b.consumer(), new Purpose("marketing"), b.engine(), b.dataset(), b.at()), "purpose");
    assertEquals("the purpose marketing is not allowed; the policy allows risk-model [Cedar: forbid purpose]", f.explanation());
  }

  @Test
  void engineNotAllowed() {
    UsageRequest b = base();
    var f = onlyViolation(with(b.consumer(), b.purpose(), Engine.MPC, b.dataset(), b.at()), "engine");
    assertEquals("running on the mpc engine is not allowed; the policy allows tee [Cedar: forbid engine]", f.explanation());
  }

  @Test
  void otherDataset() {
    UsageRequest b = base();
    var f = onlyViolation(with(b.consumer(), b.purpose(), b.engine(), DatasetVersion.parse("hospital-b/claims@1"), b.at()), "dataset");
    assertEquals("this policy governs hospital-a/claims, but the request is for hospital-b/claims@1 [Cedar: forbid dataset]", f.explanation());
  }

  @Test
  void beforeValidFrom() {
    UsageRequest b = base();
    var f = onlyViolation(with(b.consumer(), b.purpose(), b.engine(), b.dataset(), Instant.parse("2025-12-31T23:59:59Z")), "validity");
    assertTrue(f.explanation().startsWith("the policy takes effect only at 2026-01-01T00:00:00Z"), f.explanation());
  }

  @Test
  void atValidUntilTheWindowIsClosed() {
    UsageRequest b = base();
    var f = onlyViolation(with(b.consumer(), b.purpose(), b.engine(), b.dataset(), Instant.parse("2027-01-01T00:00:00Z")), "validity");
    assertTrue(f.explanation().startsWith("the policy expired at 2027-01-01T00:00:00Z"), f.explanation());
  }

  @Test
  void atValidFromTheWindowIsOpen() {
    UsageRequest b = base();
    PolicyDecision d = evaluator.evaluate(policy(), with(b.consumer(), b.purpose(), b.engine(), b.dataset(), Instant.parse("2026-01-01T00:00:00Z")));
    assertEquals(Outcome.PERMIT, d.outcome(), d.summary());
  }

  @Test
  void teeWithoutAnyAllowedMeasurementIsDenied() {
    Policy p = Policy.parse(ClaimsScenario.POLICY.replace("\"measurements\": [\"" + ClaimsScenario.MEASUREMENT + "\"]", "\"measurements\": []"));
    PolicyDecision d = evaluator.evaluate(p, base());
    assertEquals(Outcome.DENY, d.outcome());
    assertTrue(finding(d, "engine").explanation().contains("lists no enclave measurement"));
  }
}
