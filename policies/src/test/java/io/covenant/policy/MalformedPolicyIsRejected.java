package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import org.junit.jupiter.api.Test;

class MalformedPolicyIsRejected {

  private static String error(String document) {
    return assertThrows(MalformedInputException.class, () -> Policy.parse(document)).getMessage();
  }

  private static String replaced(String from, String to) {
    if (!ClaimsScenario.POLICY.contains(from)) throw new AssertionError("fixture lacks " + from);
    return ClaimsScenario.POLICY.replace(from, to);
  }

  @Test
  void unknownRuleNameNamesTheColumn() {
    assertEquals("policy field 'columns.patient_id' is not valid: column rule 'hidden' is not known: use plain, dimension, aggregate, join, filter or never",
        error(replaced("\"patient_id\": \"never\"", "\"patient_id\": \"hidden\"")));
  }

  @Test
  void badDatasetId() {
    String m = error(replaced("\"hospital-a/claims\"", "\"claims\""));
    assertTrue(m.startsWith("policy field 'dataset' is not valid: dataset id 'claims' must look like owner/name"), m);
    m = error(replaced("\"hospital-a/claims\"", "\"Hospital A/claims\""));
    assertTrue(m.startsWith("policy field 'dataset' is not valid: organisation id 'Hospital A' is not valid"), m);
  }

  @Test
  void minCohortBelowOne() {
    assertEquals("policy field 'minCohort' must be 1 or more (the smallest group a result may describe), got 0",
        error(replaced("\"minCohort\": 10", "\"minCohort\": 0")));
    assertEquals("policy field 'minCohort' must be a whole number", error(replaced("\"minCohort\": 10", "\"minCohort\": \"10\"")));
    assertEquals("policy field 'minCohort' must be a whole number, got 2.5", error(replaced("\"minCohort\": 10", "\"minCohort\": 2.5")));
  }

  @Test
  void misspeltFieldIsNotIgnored() {
    String m = error(replaced("\"minCohort\"", "\"minCohrt\""));
    assertTrue(m.startsWith("policy field 'minCohrt' is not part of policy language v1"), m);
    m = error(replaced("\"allowSimulated\"", "\"allowSimulation\""));
    assertTrue(m.startsWith("policy field 'tee.allowSimulation' is not part of policy language v1"), m);
  }

  @Test
  void missingRequiredField() {
    assertEquals("policy field 'assignees' is missing", error(replaced("\"assignees\": [\"insurer-x\"],", "")));
    assertEquals("policy field 'purposes' must list at least one entry", error(replaced("[\"risk-model\"]", "[]")));
  }

  @Test
  void badElementsAreNamedByIndex() {
    String m = error(replaced("\"measurements\": [\"", "\"measurements\": [\"abc\", \""));
    assertTrue(m.startsWith("policy field 'tee.measurements[0]' is not valid: measurement 'abc'"), m);
    m = error(replaced("[\"tee\"]", "[\"tee\", \"gpu\"]"));
    assertTrue(m.startsWith("policy field 'engines[1]' is not valid: engine 'gpu' is not known"), m);
  }

  @Test
  void badTimes() {
    assertEquals("policy field 'validFrom' '2026-01-01' is not a UTC timestamp like 2026-01-01T00:00:00Z",
        error(replaced("\"2026-01-01T00:00:00Z\"", "\"2026-01-01\"")));
    assertEquals("policy field 'validUntil' (2025-01-01T00:00:00Z) must be after validFrom (2026-01-01T00:00:00Z)",
        error(replaced("\"2027-01-01T00:00:00Z\"", "\"2025-01-01T00:00:00Z\"")));
  }

  @Test
  void otherLanguageVersion() {
    assertEquals("policy field 'covenantPolicy' is 2 but this evaluator reads policy language version 1",
        error(replaced("\"covenantPolicy\": 1", "\"covenantPolicy\": 2")));
  }

  @Test
  void notJsonNamesLineAndColumn() {
    String m = error(replaced("\"minCohort\": 10,", "\"minCohort\": 10,,"));
    assertTrue(m.startsWith("the policy document is not valid JSON: malformed JSON at line 5, column"), m);
  }
}
