package io.covenant.tee.compute;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.policy.Policy;
import io.covenant.core.keyrelease.KeyService;
import java.util.Optional;

/**
 * One input of a TEE job: which dataset version, where its signed manifest is, who signed it, who releases its key,
 * and the policy the job was authorised under for it. The policy gives the output controls and which data subjects
 * withdrew consent (their rows are left out inside the enclave, before any query runs); it comes from the
 * coordinator, so the worker uses it only after the owner's released keys name its hash (see {@link TeeWorker}).
 */
public record InputDataset(DatasetVersion version, Cid manifestCid, VerifyingKey ownerKey, KeyService keyService, Policy policy) {
  public InputDataset {
    if (version == null || manifestCid == null || ownerKey == null || keyService == null || policy == null) {
      throw new MalformedInputException(
          "a TEE input needs a dataset version, its manifest CID, its owner's verifying key, a key service and the policy it was authorised under");
    }
    if (!policy.dataset().equals(version.dataset())) {
      throw new MalformedInputException("the policy handed for input " + version + " is " + policy + " for " + policy.dataset() + ", not for " + version.dataset());
    }
  }

  /** The data subjects who withdrew consent, as the input's policy lists them. */
  public Optional<Policy.Consent> consent() {
    return policy.consent();
  }
}
