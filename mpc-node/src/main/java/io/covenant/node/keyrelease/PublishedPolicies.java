package io.covenant.node.keyrelease;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.CovenantException;
import io.covenant.core.error.IntegrityException;
import io.covenant.core.error.MalformedInputException;
import io.covenant.ledger.embedded.DurableFiles;
import io.covenant.policy.Policy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A data owner's own copy of every policy it published, one file per policy named by its hash under the consortium's
 * suite ({@code <policy-hash>.json}: SHA-256 or SM3, as POLICY_PUBLISHED records it), in the owner's folder. The owner's key service takes the policy of a job from here, by
 * the hash the job's JOB_AUTHORIZED binds, and never from the coordinator: what the coordinator's catalogue says a
 * policy is does not decide a key release.
 *
 * <p>A file is written atomically before the policy's POLICY_PUBLISHED goes on the ledger, so the ledger never names
 * a policy its owner cannot read back. A file whose content does not hash to its name is refused on reading.
 */
public final class PublishedPolicies {
  private final Path dir;
  private final io.covenant.core.crypto.CryptoSuite suite;

  private PublishedPolicies(Path dir, io.covenant.core.crypto.CryptoSuite suite) {
    this.dir = dir;
    this.suite = suite;
  }

  /** The records kept in {@code dir} (created on the first {@link #keep}), named by their hash under {@code suite}. */
  public static PublishedPolicies in(Path dir, io.covenant.core.crypto.CryptoSuite suite) {
    if (dir == null || suite == null) throw new MalformedInputException("the owner's policy folder or the consortium's suite is not given");
    return new PublishedPolicies(dir, suite);
  }

  /** The suite whose hash names the policies kept here. */
  public io.covenant.core.crypto.CryptoSuite suite() {
    return suite;
  }

  /** Keeps {@code policy} (durably, atomically); keeping the same policy again changes nothing. */
  public void keep(Policy policy) {
    Path file = file(policy.hash(suite));
    try {
      Files.createDirectories(dir);
      DurableFiles.writeAtomically(file, policy.toJson().encode().getBytes(StandardCharsets.UTF_8), true);
    } catch (IOException e) {
      throw new CovenantException("cannot keep " + policy + " in " + file + ": " + e.getMessage()
          + "; nothing was published. Check the folder's space and permissions and publish again", e);
    }
  }

  /** The policy this owner published with hash {@code hash}, if it kept one. */
  public Optional<Policy> byHash(Digest hash) {
    Path file = file(hash);
    if (!Files.isRegularFile(file)) return Optional.empty();
    Policy policy;
    try {
      policy = Policy.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CovenantException("cannot read the owner's policy record " + file + ": " + e.getMessage(), e);
    }
    if (!policy.hash(suite).equals(hash)) {
      throw new IntegrityException("the owner's policy record " + file + " holds " + policy + ", not the policy of hash "
          + hash.shortForm() + "…: the file was altered; restore it from a backup");
    }
    return Optional.of(policy);
  }

  private Path file(Digest hash) {
    return dir.resolve(hash.hex() + ".json");
  }

  @Override
  public String toString() {
    return "PublishedPolicies[" + dir + "]";
  }
}
