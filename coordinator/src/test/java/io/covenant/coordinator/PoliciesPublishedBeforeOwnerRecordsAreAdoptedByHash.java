package io.covenant.coordinator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.covenant.core.job.JobRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory from before owners kept their own policy records has the policy text in the coordinator's
 * catalogue only. The owner adopts it, because its text hashes to a POLICY_PUBLISHED the owner signed, and releases
 * its key as before; a policy the owner never signed is not adopted (see
 * {@link LyingCoordinatorCannotBindAPolicyTheOwnerDidNotPublish}).
 */
class PoliciesPublishedBeforeOwnerRecordsAreAdoptedByHash {
  @TempDir Path dir;

  @Test
  void theOwnersSignedPolicyIsAdoptedAndHonoured() throws IOException {
    try (LyingCoordinator setup = new LyingCoordinator(dir)) {
      Path records = dir.resolve("orgs").resolve(LyingCoordinator.HOSPITAL.value()).resolve("policies");
      Path record = records.resolve(setup.policy.hash(io.covenant.core.crypto.CryptoSuite.INTL).hex() + ".json");
      assertTrue(Files.isRegularFile(record), "publishing kept the owner's own copy");
      try (Stream<Path> files = Files.walk(records)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
      }

      JobRequest job = setup.submitAndAuthorize(setup.policy);
      var refusal = setup.dispatch(job, setup.policy).refusal();
      assertFalse(refusal.isPresent(), () -> refusal.get().getMessage());
      assertTrue(setup.keyReleased(job.id()));
      assertTrue(Files.isRegularFile(record), "the adopted policy is in the owner's records again");
    }
  }
}
