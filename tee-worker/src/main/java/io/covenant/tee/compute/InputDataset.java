package io.covenant.tee.compute;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.policy.Policy;
import io.covenant.tee.keyrelease.KeyService;
import java.util.Optional;

/**
 * One input of a TEE job: which dataset version, where its signed manifest is, who signed it, who releases its key,
 * and which data subjects withdrew consent (their rows are left out inside the enclave, before any query runs).
 */
public record InputDataset(
    DatasetVersion version, Cid manifestCid, VerifyingKey ownerKey, KeyService keyService, Optional<Policy.Consent> consent) {
  public InputDataset {
    if (version == null || manifestCid == null || ownerKey == null || keyService == null || consent == null) {
      throw new MalformedInputException("a TEE input needs a dataset version, its manifest CID, its owner's verifying key and a key service");
    }
  }

  public InputDataset(DatasetVersion version, Cid manifestCid, VerifyingKey ownerKey, KeyService keyService) {
    this(version, manifestCid, ownerKey, keyService, Optional.empty());
  }
}
