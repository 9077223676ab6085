package io.covenant.tee.compute;

import io.covenant.core.cid.Cid;
import io.covenant.core.crypto.VerifyingKey;
import io.covenant.core.error.MalformedInputException;
import io.covenant.core.id.DatasetVersion;
import io.covenant.tee.keyrelease.KeyService;

/** One input of a TEE job: which dataset version, where its signed manifest is, who signed it, and who releases its key. */
public record InputDataset(DatasetVersion version, Cid manifestCid, VerifyingKey ownerKey, KeyService keyService) {
  public InputDataset {
    if (version == null || manifestCid == null || ownerKey == null || keyService == null) {
      throw new MalformedInputException("a TEE input needs a dataset version, its manifest CID, its owner's verifying key and a key service");
    }
  }
}
