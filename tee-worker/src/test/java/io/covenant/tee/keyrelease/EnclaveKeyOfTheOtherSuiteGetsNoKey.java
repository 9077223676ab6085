package io.covenant.tee.keyrelease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.CryptoSuite;
import io.covenant.core.error.MalformedInputException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that names an enclave key of another suite than the consortium's (an SM2 key in an international
 * consortium here; an X25519 key in a national one is the downgrade) gets no key: the owner would otherwise seal the data
 * key with a KEM the consortium does not run. The refusal names both suites, and nothing is released or recorded; the
 * same request with a key of the consortium's suite is released.
 */
class EnclaveKeyOfTheOtherSuiteGetsNoKey {
  @TempDir Path dir;

  @Test
  void theOwnerRefusesToSealToIt() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      long before = s.consortium.ledger.size();
      var other = CryptoSuite.SM.generateSealingKeys();
      MalformedInputException x = assertThrows(MalformedInputException.class,
          () -> s.consortium.keyService(s.owner).release(s.request(s.request().dataset(), other)));
      assertTrue(x.getMessage().contains("enclave key is a key of the sm suite") && x.getMessage().contains("under intl"), x.getMessage());
      assertEquals(before, s.consortium.ledger.size(), "nothing was released or recorded");
      s.consortium.keyService(s.owner).release(s.request(s.request().dataset(), s.enclave));
      assertTrue(s.consortium.ledger.size() > before, "the consortium's own kind of enclave key gets the key");
    }
  }
}
