package io.covenant.tee.keyrelease;

import io.covenant.core.keyrelease.KeyReleaseRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.crypto.HpkeKeyPair;
import io.covenant.core.crypto.SealedMessage;
import io.covenant.core.error.IntegrityException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The owner seals, with the keys, the hash of the policy it released them under; a payload in the earlier format
 * (info v1, the two keys only) does not open as a current one, so it cannot be read as carrying some policy hash.
 */
class ReleasedKeysCarryTheOwnersPolicyHash {
  @TempDir Path dir;

  @Test
  void theReleasedKeysNameThePolicyTheOwnerDecidedUnder() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      s.consortium.authorize(s.job);
      KeyReleaseRequest request = s.request();
      KeyReleaseRequest.ReleasedKeys keys = request.openReleasedKeys(s.consortium.keyService(s.owner).release(request), s.enclave);
      try {
        assertEquals(s.owner.policies.get(s.dataset.dataset()).hash(io.covenant.core.crypto.CryptoSuite.INTL), keys.policyHash());
      } finally {
        keys.destroy();
      }
    }
  }

  @Test
  void aPayloadInTheOldFormatDoesNotOpen() {
    try (KeyReleaseSetup s = new KeyReleaseSetup(dir)) {
      KeyReleaseRequest request = s.request();
      byte[] oldPayload = new byte[64];
      SealedMessage old = HpkeKeyPair.seal(request.enclaveKey(), KeyReleaseRequest.INFO.getBytes(StandardCharsets.UTF_8),
          request.sealingContext(), oldPayload);
      IntegrityException x = assertThrows(IntegrityException.class, () -> request.openReleasedKeys(old, s.enclave));
      assertTrue(x.getMessage().contains("older release format"), x.getMessage());
    }
  }
}
