package io.covenant.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.error.MalformedInputException;
import org.junit.jupiter.api.Test;

/**
 * {@code tee.freshnessEntries}, how many ledger entries may stand between a job's authorisation and an owner's key
 * release, is read, bounded, kept in the canonical text (so it is covered by the policy hash the owner releases
 * under), and left out of the text when it is the default, so that every policy written before it hashes as it did.
 */
class FreshnessWindowIsPartOfThePolicyText {
  private static String policy(String tee) {
    return """
        {"covenantPolicy": 1, "id": "p", "dataset": "hospital-a/claims", "assignees": ["insurer-x"],
         "purposes": ["research"], "engines": ["tee"], "minCohort": 5, "tee": %s}""".formatted(tee);
  }

  @Test
  void aWindowIsReadAndChangesTheHash() {
    Policy windowed = Policy.parse(policy("{\"allowSimulated\": true, \"freshnessEntries\": 50}"));
    Policy usual = Policy.parse(policy("{\"allowSimulated\": true}"));
    assertEquals(50, windowed.tee().freshnessEntries());
    assertEquals(Policy.Tee.DEFAULT_FRESHNESS_ENTRIES, usual.tee().freshnessEntries());
    assertNotEquals(usual.hash(io.covenant.core.crypto.CryptoSuite.INTL), windowed.hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertEquals(windowed, Policy.parse(windowed.toJson().encode()));
    assertTrue(windowed.toJson().encode().contains("\"freshnessEntries\":50"));
  }

  @Test
  void theDefaultIsNotWrittenSoEarlierPoliciesKeepTheirHash() {
    Policy spelled = Policy.parse(policy("{\"allowSimulated\": true, \"freshnessEntries\": " + Policy.Tee.DEFAULT_FRESHNESS_ENTRIES + "}"));
    Policy omitted = Policy.parse(policy("{\"allowSimulated\": true}"));
    assertEquals(omitted.hash(io.covenant.core.crypto.CryptoSuite.INTL), spelled.hash(io.covenant.core.crypto.CryptoSuite.INTL));
    assertFalse(omitted.toJson().encode().contains("freshnessEntries"));
  }

  @Test
  void aWindowTooShortForAReleaseIsRefusedByName() {
    var x = assertThrows(MalformedInputException.class, () -> Policy.parse(policy("{\"freshnessEntries\": 1}")));
    assertTrue(x.getMessage().contains("tee.freshnessEntries"), x.getMessage());
    assertTrue(x.getMessage().contains("must be 2 or more"), x.getMessage());
  }
}
