package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.covenant.core.crypto.Digest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PolicyHashIsCanonical {
  private static final String M = ClaimsScenario.MEASUREMENT;

  /** The canonical form, written out by hand: members sorted, no white space, set-like arrays sorted. */
  private static final String CANONICAL = "{\"approval\":{\"required\":false},\"assignees\":[\"insurer-x\"],"
      + "\"columns\":{\"admission_date\":\"filter\",\"age\":\"dimension\",\"claim_cost\":\"aggregate\",\"diagnosis\":\"dimension\","
      + "\"length_of_stay\":\"aggregate\",\"member_key\":\"join\",\"patient_id\":\"never\",\"region\":\"plain\",\"sex\":\"dimension\"},"
      + "\"covenantPolicy\":1,\"dataset\":\"hospital-a/claims\",\"defaultColumnRule\":\"never\",\"engines\":[\"tee\"],"
      + "\"id\":\"hospital-a-claims-insurer\",\"minCohort\":10,\"purposes\":[\"risk-model\"],"
      + "\"tee\":{\"allowSimulated\":false,\"measurements\":[\"" + M + "\"]},"
      + "\"validFrom\":\"2026-01-01T00:00:00Z\",\"validUntil\":\"2027-01-01T00:00:00Z\"}";

  @Test
  void canonicalFormIsExactlyTheSortedCompactJson() {
    Policy p = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY);
    assertEquals(CANONICAL, p.toJson().encode());
    assertEquals(Digest.sha256(CANONICAL.getBytes(StandardCharsets.UTF_8)), p.hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void roundTripsThroughItsCanonicalForm() {
    Policy p = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY);
    assertEquals(p, Policy.parse(p.toJson().encode()));
  }

  @Test
  void memberOrderWhitespaceAndSetOrderDoNotChangeTheHash() {
    String reordered = """
        {
          "minCohort" : 10 ,
          "approval": {"required": false},
          "defaultColumnRule": "never",
          "columns": { "sex": "dimension", "region": "plain", "patient_id": "never", "member_key": "join",
                       "length_of_stay": "aggregate", "diagnosis": "dimension", "claim_cost": "aggregate",
                       "age": "dimension", "admission_date": "filter" },
          "validUntil": "2027-01-01T00:00:00Z", "validFrom": "2026-01-01T00:00:00Z",
          "tee": { "measurements": ["%s", "%s"], "allowSimulated": false },
          "engines": ["tee"], "purposes": ["risk-model"], "assignees": ["insurer-x", "insurer-x"],
          "dataset": "hospital-a/claims", "id": "hospital-a-claims-insurer", "covenantPolicy": 1
        }
        """.formatted(M, M);
    assertEquals(Policy.parse(ClaimsScenario.WITHOUT_PRIVACY).hash(io.covenant.core.crypto.CryptoSuite.INTL), Policy.parse(reordered).hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertEquals(Policy.parse(ClaimsScenario.WITHOUT_PRIVACY), Policy.parse(reordered));
  }

  @Test
  void spelledOutDefaultsHashLikeOmittedOnes() {
    String minimal = """
        {"covenantPolicy": 1, "id": "p", "dataset": "hospital-a/claims", "assignees": ["insurer-x"],
         "purposes": ["research"], "engines": ["mpc", "tee"], "minCohort": 5}""";
    String explicit = """
        {"covenantPolicy": 1, "id": "p", "dataset": "hospital-a/claims", "assignees": ["insurer-x"],
         "purposes": ["research"], "engines": ["tee", "mpc"], "minCohort": 5, "columns": {},
         "defaultColumnRule": "never", "approval": {"required": false}, "tee": {"allowSimulated": false, "measurements": []}}""";
    assertEquals(Policy.parse(minimal).hash(io.covenant.core.crypto.CryptoSuite.INTL), Policy.parse(explicit).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void anyChangeOfMeaningChangesTheHash() {
    Digest original = Policy.parse(ClaimsScenario.WITHOUT_PRIVACY).hash(io.covenant.core.crypto.CryptoSuite.INTL);
    assertNotEquals(original, Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"age\": \"dimension\"", "\"age\": \"plain\"")).hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertNotEquals(original, Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"minCohort\": 10", "\"minCohort\": 11")).hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertNotEquals(original, Policy.parse(ClaimsScenario.WITHOUT_PRIVACY.replace("\"allowSimulated\": false", "\"allowSimulated\": true")).hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }
}
