package io.covenant.policy;

import static io.covenant.policy.ClaimsScenario.finding;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.core.id.OrgId;
import io.covenant.core.id.Purpose;
import io.covenant.core.job.Computation;
import io.covenant.core.job.Computation.PrivateSetIntersection.Learners;
import io.covenant.core.job.Engine;
import io.covenant.policy.PolicyDecision.Outcome;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who learns the matches of a private set intersection is the owner's decision: whoever receives a PSI's output
 * learns which of its own ids occur in the other dataset. An insurer asking which of its customers are this
 * hospital's patients needs the hospital's {@code matching.revealMatches}; the hospital asking about its own dataset
 * against someone else's needs nothing of its own policy unless the other owner learns too. A vertical model, which
 * aligns both owners' rows, needs it from both. The id column must be a match key, never output.
 */
class IntersectionRevealsOnlyWhatThePolicyAllows {
  private static final String MPC = ClaimsScenario.WITHOUT_PRIVACY.replace("\"engines\": [\"tee\"]", "\"engines\": [\"tee\", \"mpc\"]");
  private static final String REVEALING = MPC.replace("\"minCohort\": 10,", "\"minCohort\": 10, \"matching\": { \"revealMatches\": true },");

  private static PolicyDecision decide(String policy, OrgId consumer, Computation computation, Engine engine) {
    String text = policy.replace("\"assignees\": [\"insurer-x\"]", "\"assignees\": [\"hospital-a\", \"insurer-x\"]");
    return new PolicyEvaluator().evaluate(Policy.parse(text), new UsageRequest(consumer, new Purpose("risk-model"), engine,
        DatasetVersion.parse("hospital-a/claims@3"), "claims", ClaimsScenario.SCHEMA, computation, ClaimsScenario.DURING, ClaimsScenario.JOB_TABLES));
  }

  private static Computation psi(Learners learners) {
    return new Computation.PrivateSetIntersection("member_key", learners);
  }

  @Test
  void anotherOrganisationLearnsTheMatchesOnlyIfThePolicyRevealsThem() {
    PolicyDecision denied = decide(MPC, OrgId.of("insurer-x"), psi(Learners.CONSUMER), Engine.MPC);
    assertEquals(Outcome.DENY, denied.outcome());
    PolicyDecision.Finding f = finding(denied, "matching:reveal");
    assertFalse(f.passed());
    assertTrue(f.explanation().contains("insurer-x would learn which of its ids occur in hospital-a/claims@3")
        && f.explanation().contains("matching.revealMatches is false"), f.explanation());

    PolicyDecision permitted = decide(REVEALING, OrgId.of("insurer-x"), psi(Learners.CONSUMER), Engine.MPC);
    assertEquals(Outcome.PERMIT, permitted.outcome(), permitted.violations().toString());
    assertTrue(finding(permitted, "column:member_key").explanation().contains("matches rows on it"));
  }

  @Test
  void theOwnerAskingAboutItsOwnIdsNeedsNoRevealUnlessTheOtherLearnsToo() {
    PolicyDecision own = decide(MPC, OrgId.of("hospital-a"), psi(Learners.CONSUMER), Engine.MPC);
    assertEquals(Outcome.PERMIT, own.outcome(), own.violations().toString());
    assertTrue(own.findings().stream().noneMatch(x -> x.rule().equals("matching:reveal")), own.findings().toString());

    PolicyDecision both = decide(MPC, OrgId.of("hospital-a"), psi(Learners.BOTH), Engine.MPC);
    assertEquals(Outcome.DENY, both.outcome());
    assertTrue(finding(both, "matching:reveal").explanation().startsWith("the other owner would learn"), finding(both, "matching:reveal").explanation());
    assertTrue(finding(both, "matching:reveal").explanation().contains("or the consumer asks with learners consumer"));
  }

  @Test
  void theIdColumnMustBeAMatchKey() {
    PolicyDecision d = decide(REVEALING, OrgId.of("insurer-x"), new Computation.PrivateSetIntersection("patient_id", Learners.CONSUMER), Engine.MPC);
    assertEquals(Outcome.DENY, d.outcome());
    assertFalse(finding(d, "column:patient_id").passed());
    PolicyDecision missing = decide(REVEALING, OrgId.of("insurer-x"), new Computation.PrivateSetIntersection("no_such_id", Learners.CONSUMER), Engine.MPC);
    assertTrue(finding(missing, "column:no_such_id").explanation().contains("is not a column of hospital-a/claims@3"));
  }

  @Test
  void anIntersectionRunsOnlyOnTheOwnersNodesAndNeverUnderABudget() {
    PolicyDecision tee = decide(REVEALING, OrgId.of("insurer-x"), psi(Learners.CONSUMER), Engine.TEE);
    assertEquals(Outcome.DENY, tee.outcome());
    assertTrue(finding(tee, "computation").explanation().contains("runs only on the mpc engine"));

    String budgeted = REVEALING.replace("\"approval\":", "\"privacy\": { \"epsilonPerQuery\": 1, \"epsilonTotal\": 5 }, \"approval\":");
    PolicyDecision d = decide(budgeted, OrgId.of("insurer-x"), psi(Learners.CONSUMER), Engine.MPC);
    assertEquals(Outcome.DENY, d.outcome());
    assertTrue(finding(d, "privacy").explanation().contains("exact membership"), finding(d, "privacy").explanation());
  }

  @Test
  void aVerticalModelNeedsTheRevealBecauseBothOwnersAlign() {
    var model = new Computation.VerticalLogisticRegression("member_key", List.of("age"), "claimed", 1, 8, BigDecimal.ONE, OrgId.of("hospital-b"));
    String aggregatingAge = "\"age\": \"aggregate\"";
    PolicyDecision denied = decide(MPC.replace("\"age\": \"dimension\"", aggregatingAge), OrgId.of("insurer-x"), model, Engine.MPC);
    assertEquals(Outcome.DENY, denied.outcome());
    assertTrue(finding(denied, "matching:reveal").explanation().contains("aligns both owners' rows"), finding(denied, "matching:reveal").explanation());
    PolicyDecision permitted = decide(REVEALING.replace("\"age\": \"dimension\"", aggregatingAge), OrgId.of("insurer-x"), model, Engine.MPC);
    assertEquals(Outcome.PERMIT, permitted.outcome(), permitted.violations().toString());
  }

  @Test
  void theMatchingSectionIsReadStrictlyAndKeptInTheHash() {
    Policy plain = Policy.parse(MPC);
    Policy revealing = Policy.parse(REVEALING);
    assertEquals(Policy.Matching.PRIVATE, plain.matching());
    assertEquals(new Policy.Matching(true, false), revealing.matching());
    assertFalse(plain.hash(io.covenant.core.crypto.CryptoSuite.INTL).equals(revealing.hash(io.covenant.core.crypto.CryptoSuite.INTL)), "revealing matches is a different promise, so a different policy");
    assertEquals(revealing, Policy.parse(revealing.toJson().encode()));
    assertEquals(revealing, io.covenant.policy.odrl.OdrlMapping.fromJsonLd(io.covenant.policy.odrl.OdrlMapping.toJsonLd(revealing)),
        "the ODRL form carries the matching terms (cov:revealMatches)");
    assertFalse(plain.toJson().encode().contains("matching"), "a policy without the section keeps the hash it had before the section existed");
    assertTrue(revealing.warnings().stream().anyMatch(w -> w.startsWith("matching.revealMatches is true")), revealing.warnings().toString());
    MalformedInputException e = assertThrows(MalformedInputException.class,
        () -> Policy.parse(MPC.replace("\"minCohort\": 10,", "\"minCohort\": 10, \"matching\": { \"revealMatch\": true },")));
    assertTrue(e.getMessage().contains("revealMatch"), e.getMessage());
  }
}
