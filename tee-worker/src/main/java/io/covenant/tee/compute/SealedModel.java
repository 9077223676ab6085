package io.covenant.tee.compute;

import io.covenant.core.crypto.Digest;
import io.covenant.core.error.MalformedInputException;

/**
 * What a training job returns: the sealed model as a {@link SealedResult} (its {@code rows} is the number of training
 * rows, nothing is suppressed) and the SHA-256 of the model bytes inside, for the ledger's record of the result. The
 * consumer opens the model with {@link io.covenant.tee.training.TrainedModel#open} and can check that hash.
 */
public record SealedModel(SealedResult result, Digest modelHash) {
  public SealedModel {
    if (result == null || modelHash == null) throw new MalformedInputException("a sealed model needs its sealed result and its model hash");
  }
}
