package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import io.covenant.core.job.MpcSecurity;
import org.junit.jupiter.api.Test;

/**
 * An owner's {@code "mpc": {"security": ...}}: malicious is read and written back; an unknown mode, an unknown field
 * or the block on a policy that does not allow the mpc engine are refused naming the field; a policy without the block
 * allows either mode and keeps the JSON (and hash) it had before the field existed; the ODRL mapping keeps it.
 */
class MpcSecurityRequirementIsValidatedAndHashStable {
  static String policy(String engines, String mpc) {
    return """
        {"covenantPolicy": 1, "id": "claims-mpc", "dataset": "hospital-a/claims", "assignees": ["insurer-x"], "purposes": ["research"],
         "engines": %s, "minCohort": 5, "defaultColumnRule": "aggregate"%s}
        """.formatted(engines, mpc);
  }

  @Test
  void maliciousIsReadAndRoundTrips() {
    Policy p = Policy.parse(policy("[\"mpc\"]", ", \"mpc\": {\"security\": \"malicious\"}"));
    assertEquals(MpcSecurity.MALICIOUS, p.mpc().security());
    assertEquals(p, Policy.parse(p.toJson().encode()));
    assertTrue(p.toJson().encode().contains("\"mpc\":{\"security\":\"malicious\"}"), p.toJson().encode());
  }

  @Test
  void theRequirementSurvivesTheOdrlRoundTrip() {
    Policy p = Policy.parse(policy("[\"mpc\"]", ", \"mpc\": {\"security\": \"malicious\"}"));
    Policy back = io.covenant.policy.odrl.OdrlMapping.fromJsonLd(io.covenant.policy.odrl.OdrlMapping.toJsonLd(p));
    assertEquals(MpcSecurity.MALICIOUS, back.mpc().security(), "an ODRL round trip must not weaken the owner's requirement");
    assertEquals(p.hash(io.covenant.core.crypto.CryptoSuite.INTL), back.hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void withoutTheBlockEitherModeRunsAndTheJsonIsUnchanged() {
    Policy p = Policy.parse(policy("[\"mpc\", \"tee\"]", ""));
    assertEquals(MpcSecurity.SEMI_HONEST, p.mpc().security());
    assertFalse(p.toJson().encode().contains("\"mpc\":{"), p.toJson().encode());
    assertEquals(Policy.parse(policy("[\"mpc\", \"tee\"]", ", \"mpc\": {\"security\": \"semi-honest\"}")).hash(io.covenant.core.crypto.CryptoSuite.INTL), p.hash(io.covenant.core.crypto.CryptoSuite.INTL));
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    MalformedInputException unknown = assertThrows(MalformedInputException.class,
        () -> Policy.parse(policy("[\"mpc\"]", ", \"mpc\": {\"security\": \"paranoid\"}")));
    assertTrue(unknown.getMessage().contains("mpc.security") && unknown.getMessage().contains("malicious"), unknown.getMessage());
    MalformedInputException field = assertThrows(MalformedInputException.class,
        () -> Policy.parse(policy("[\"mpc\"]", ", \"mpc\": {\"security\": \"malicious\", \"parties\": 5}")));
    assertTrue(field.getMessage().contains("parties"), field.getMessage());
    MalformedInputException engine = assertThrows(MalformedInputException.class,
        () -> Policy.parse(policy("[\"tee\"]", ", \"mpc\": {\"security\": \"malicious\"}")));
    assertTrue(engine.getMessage().contains("mpc.security") && engine.getMessage().contains("engines"), engine.getMessage());
  }
}
