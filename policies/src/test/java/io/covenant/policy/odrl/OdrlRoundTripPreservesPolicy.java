package io.covenant.policy.odrl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.codec.Json;
import io.covenant.core.error.MalformedInputException;
import io.covenant.policy.Policy;
import org.junit.jupiter.api.Test;

class OdrlRoundTripPreservesPolicy {
  private static final String M = "c".repeat(64);
  private static final String FULL = """
      { "covenantPolicy": 1, "id": "hospital-a-claims-research", "dataset": "hospital-a/claims",
        "assignees": ["insurer-x", "university-y"], "purposes": ["research", "risk-model"], "engines": ["tee", "mpc"],
        "tee": { "allowSimulated": true, "measurements": ["%s"], "freshnessEntries": 250 },
        "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",
        "minCohort": 20, "maxUses": 50,
        "columns": { "patient_id": "never", "age": "dimension", "claim_cost": "aggregate", "member_key": "join" },
        "defaultColumnRule": "filter", "approval": { "required": true },
        "obligations": ["delete-after-90-days", "no-reidentification"],
        "consent": { "subjectColumn": "patient_id", "excludedSubjects": ["%s", "%s"] },
        "privacy": { "epsilonPerQuery": 0.25, "epsilonTotal": 4 } }
      """.formatted(M, "7".repeat(64), "3".repeat(64));

  @Test
  void everyTermSurvivesTheRoundTrip() {
    Policy p = Policy.parse(FULL);
    Json.JObject odrl = OdrlMapping.toJsonLd(p);
    assertEquals(p, OdrlMapping.fromJsonLd(Json.parseObject(odrl.encode())));
    assertEquals(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), OdrlMapping.fromJsonLd(odrl).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void minimalPolicySurvivesTheRoundTrip() {
    Policy p = Policy.parse("""
        {"covenantPolicy": 1, "id": "p", "dataset": "vehicle-maker/obd", "assignees": ["insurer-x"],
         "purposes": ["ubi-scoring"], "engines": ["mpc"], "minCohort": 5}""");
    assertEquals(p, OdrlMapping.fromJsonLd(OdrlMapping.toJsonLd(p)));
  }

  @Test
  void mainTermsUseTheOdrlCommonVocabulary() {
    Json.JObject odrl = OdrlMapping.toJsonLd(Policy.parse(FULL));
    assertEquals("Agreement", odrl.string("@type"));
    assertEquals("urn:covenant:org:hospital-a", odrl.string("assigner"));
    assertEquals("urn:covenant:dataset:hospital-a/claims", odrl.string("target"));
    assertEquals(2, odrl.array("permission").size(), "one permission per assignee");
    Json.JObject perm = odrl.objects("permission").get(1);
    assertEquals("urn:covenant:org:university-y", perm.string("assignee"));
    assertEquals("use", perm.string("action"));
    String constraints = perm.get("constraint").encode();
    assertTrue(constraints.contains("{\"leftOperand\":\"purpose\",\"operator\":\"isAnyOf\",\"rightOperand\":[\"research\",\"risk-model\"]}"), constraints);
    assertTrue(constraints.contains("{\"leftOperand\":\"dateTime\",\"operator\":\"lt\",\"rightOperand\":{\"@type\":\"xsd:dateTime\",\"@value\":\"2027-01-01T00:00:00Z\"}}"), constraints);
    assertTrue(constraints.contains("{\"leftOperand\":\"count\",\"operator\":\"lteq\",\"rightOperand\":50}"), constraints);
    assertTrue(perm.get("duty").encode().contains("{\"action\":\"cov:no-reidentification\"}"));
  }

  @Test
  void differingPermissionsAreRejected() {
    String text = OdrlMapping.toJsonLd(Policy.parse(FULL)).encode();
    String tampered = text.replaceFirst("\"rightOperand\":20", "\"rightOperand\":2");
    String m = assertThrows(MalformedInputException.class, () -> OdrlMapping.fromJsonLd(Json.parseObject(tampered))).getMessage();
    assertTrue(m.startsWith("ODRL policy member 'permission[1]' has other constraints or duties than permission[0]"), m);
  }

  @Test
  void unknownConstraintIsNamed() {
    String text = OdrlMapping.toJsonLd(Policy.parse(FULL)).encode().replace("\"cov:groupSize\"", "\"cov:groupSise\"");
    String m = assertThrows(MalformedInputException.class, () -> OdrlMapping.fromJsonLd(Json.parseObject(text))).getMessage();
    assertTrue(m.contains("'cov:groupSise' gteq) is not a constraint the Covenant profile defines"), m);
  }
}
